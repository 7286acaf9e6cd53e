import type { OcpiModule } from '../../ocpi/module'
import { admin } from './admin'
import { receiver } from './receiver'
import { sender } from './sender'

/** Sessions (mod_sessions): the CPO's charging sessions, pushed to and pulled by the eMSP of the token. */
export const sessions: OcpiModule = { id: 'sessions', sender, receiver, admin }
