import type { CDR } from '../../ocpi/objects/cdr'
import { agreedWith } from '../../peers/extensions'
import { X_CDR_COST_BREAKDOWN } from '../x-cdr-cost-breakdown/module-id'

// CDR.cost_breakdown (docs/extensions/cdr-cost-breakdown.md) is not an OCPI field: a peer that did not agree to it gets
// only the fields its version defines, and what it sends under that name is not kept.

export const agreesToCostBreakdown = (peer: { extensions: readonly string[] }) => agreedWith(peer, X_CDR_COST_BREAKDOWN)

/** The CDR as `peer` may receive it. */
export function cdrForPeer(cdr: CDR, peer: { extensions: readonly string[] }): CDR {
  if (!cdr.cost_breakdown || agreesToCostBreakdown(peer)) return cdr
  const { cost_breakdown: _omitted, ...defined } = cdr
  return defined
}
