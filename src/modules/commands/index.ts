import type { OcpiModule } from '../../ocpi/module'
import { admin } from './admin'
import { receiver } from './receiver'
import { sender } from './sender'

/**
 * Commands (mod_commands): as CPO, commands eMSP peers send to the hosted CPOs' charge points (Receiver); as eMSP, the
 * results CPO peers post to the response_url we generate (Sender); the management API sends and follows them.
 */
export const commands: OcpiModule = { id: 'commands', sender, receiver, admin }
