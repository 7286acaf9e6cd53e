import type { OcpiModule } from '../ocpi/module'
import { cdrs } from './cdrs'
import { hubclientinfo } from './hubclientinfo'
import { sessions } from './sessions'
import { locationsModule } from './locations'
import { tariffs } from './tariffs'
import { xDriverTariffs } from './x-driver-tariffs'
import { tokens } from './tokens'
import { xGdpr } from './x-gdpr'
import { xTokenMigration } from './x-token-migration'
import { xFeeds } from './x-feeds'

/** Every module served, in the order listed in version details. Credentials is mounted by src/ocpi/app.ts. */
export const modules: OcpiModule[] = [hubclientinfo, locationsModule, tariffs, xDriverTariffs, tokens, xGdpr, xTokenMigration, xFeeds, sessions, cdrs]
