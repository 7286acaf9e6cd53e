import type { OcpiModule } from '../../ocpi/module'
import { admin } from './admin'
import { receiver } from './receiver'
import { sender } from './sender'

/** Tariffs (mod_tariffs.asciidoc), data owner CPO, in 2.2.1 and 2.3.0, with the multi-currency extension. */
export const tariffs: OcpiModule = { id: 'tariffs', sender, receiver, admin }
