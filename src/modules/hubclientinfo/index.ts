import type { OcpiModule } from '../../ocpi/module'
import { admin } from './admin'
import { receiver } from './receiver'
import { sender } from './sender'

/** HubClientInfo (B8.4), identical in 2.2.1 and 2.3.0. */
export const hubclientinfo: OcpiModule = { id: 'hubclientinfo', sender, receiver, admin }
