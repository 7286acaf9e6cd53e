import type { OcpiModule } from '../../ocpi/module'
import { admin } from './admin'
import { receiver } from './receiver'
import { sender } from './sender'

/** CDRs (mod_cdrs): the CPO's billing records, posted to and pulled by the eMSP of the token. */
export const cdrs: OcpiModule = { id: 'cdrs', sender, receiver, admin }
