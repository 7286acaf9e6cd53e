import { VERSIONS_FROM_221 } from '../../ocpi/versions'
import type { OcpiModule } from '../../ocpi/module'
import { admin } from './admin'
import { X_FEEDS } from './module-id'
import { sender } from './sender'

/** x-feeds (docs/extensions/x-feeds.md): compressed snapshots of a CPO's locations and tariffs for aggregators and NAPs. */
export const xFeeds: OcpiModule = { id: X_FEEDS, versions: VERSIONS_FROM_221, sender, admin }
