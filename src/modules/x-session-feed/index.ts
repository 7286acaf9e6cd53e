import type { OcpiModule } from '../../ocpi/module'
import { admin } from './admin'
import { X_SESSION_FEED } from './module-id'
import { sender } from './sender'

/**
 * x-session-feed (docs/extensions/x-session-feed.md): a data aggregator reads the hosted CPOs' sessions anonymised
 * (B4.3). CPO Sender; the aggregator side reads it through the management API.
 */
export const xSessionFeed: OcpiModule = { id: X_SESSION_FEED, sender, admin }
