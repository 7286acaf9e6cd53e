import { VERSIONS_FROM_221 } from '../../ocpi/versions'
import type { OcpiModule } from '../../ocpi/module'
import { admin } from './admin'
import { X_DRIVER_TARIFFS } from './module-id'
import { receiver } from './receiver'
import { sender } from './sender'

/** x-driver-tariffs (docs/extensions/x-driver-tariffs.md): eMSP Sender, CPO Receiver. */
export const xDriverTariffs: OcpiModule = { id: X_DRIVER_TARIFFS, versions: VERSIONS_FROM_221, sender, receiver, admin }
