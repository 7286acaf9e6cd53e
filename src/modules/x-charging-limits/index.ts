import { VERSIONS_FROM_221 } from '../../ocpi/versions'
import type { OcpiModule } from '../../ocpi/module'
import { admin } from './admin'
import { X_CHARGING_LIMITS } from './module-id'
import { receiver } from './receiver'

/** x-charging-limits (docs/extensions/x-charging-limits.md): limits an MSP sets on a live session; CPO Receiver. */
export const xChargingLimits: OcpiModule = { id: X_CHARGING_LIMITS, versions: VERSIONS_FROM_221, receiver, admin }
