import type { OcpiModule } from '../../ocpi/module'
import { admin } from './admin'
import { BOOKINGS_MODULE } from './module-id'
import { receiver } from './receiver'
import { sender } from './sender'

/** Bookings (B6.3), from the 2.3.0 bookings release: served in 2.3.0 only, and only to peers that agreed to it. */
export const bookingsModule: OcpiModule = { id: BOOKINGS_MODULE, versions: ['2.3.0'], sender, receiver, admin }
