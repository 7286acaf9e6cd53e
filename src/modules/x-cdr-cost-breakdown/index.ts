import type { OcpiModule } from '../../ocpi/module'
import { X_CDR_COST_BREAKDOWN } from './module-id'

/**
 * x-cdr-cost-breakdown (docs/extensions/cdr-cost-breakdown.md): a field of the CDRs module, not an interface of its
 * own. Listed as a module so that it is agreed per peer like every custom module (peers.extensions); the CDRs module
 * sends and keeps `cost_breakdown` only with peers that agreed (src/modules/cdrs/cost-breakdown.ts).
 */
export const xCdrCostBreakdown: OcpiModule = { id: X_CDR_COST_BREAKDOWN }
