import type { OcpiModule } from '../../ocpi/module'
import { admin } from './admin'
import { receiver } from './receiver'
import { sender } from './sender'

/** Locations (mod_locations.asciidoc), 2.2.1 and 2.3.0: docs/locations.md. */
export const locationsModule: OcpiModule = { id: 'locations', sender, receiver, admin }
