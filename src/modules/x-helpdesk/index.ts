import type { OcpiModule } from '../../ocpi/module'
import { admin } from './admin'
import { X_HELPDESK } from './module-id'
import { receiver } from './receiver'
import { sender } from './sender'

/**
 * x-helpdesk (docs/extensions/x-helpdesk.md): an MSP helpdesk resets or unlocks a CPO's charge point. As CPO, the
 * Receiver takes the commands for the hosted CPOs' charge points; as eMSP, the Sender is the response_url of the
 * commands the management API sends.
 */
export const xHelpdesk: OcpiModule = { id: X_HELPDESK, sender, receiver, admin }
