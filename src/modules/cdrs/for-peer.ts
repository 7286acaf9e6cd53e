import type { CDR } from '../../ocpi/objects/cdr'
import { agreedWith } from '../../peers/extensions'
import { tariffForPeer } from '../tariffs/variants'
import { X_CDR_COST_BREAKDOWN } from '../x-cdr-cost-breakdown/module-id'

// A peer that agreed no extension receives only the fields its version defines (docs/interop.md, "Honest objects").
// Two CDR fields are extensions: `tariff_group_id` on embedded tariffs (multi-currency tariffs) and `cost_breakdown`
// (docs/extensions/cdr-cost-breakdown.md). This is the one place that decides which of them a peer gets.

/** What a peer agreed that changes the fields of a CDR it receives. */
export interface CdrAgreements {
  /** The multi-currency tariffs extension (tariffs/store: the peer accepts non-ISO currencies). */
  tariffGroups: boolean
  /** `x-cdr-cost-breakdown`. */
  costBreakdown: boolean
}

export const agreesToCostBreakdown = (peer: { extensions: readonly string[] }) => agreedWith(peer, X_CDR_COST_BREAKDOWN)

/** True when a tariff inside the CDR names a tariff group: only then does that agreement change the CDR. */
export const carriesTariffGroups = (cdr: CDR) => cdr.tariffs?.some((tariff) => tariff.tariff_group_id !== undefined) ?? false

/** True when some peers may receive this CDR differently from others. */
export const differsPerPeer = (cdr: CDR) => carriesTariffGroups(cdr) || cdr.cost_breakdown !== undefined

/** The CDR as a peer with these agreements may receive it. */
export function cdrForPeer(cdr: CDR, agreed: CdrAgreements): CDR {
  let view = cdr
  if (!agreed.tariffGroups && carriesTariffGroups(view)) view = { ...view, tariffs: view.tariffs!.map((tariff) => tariffForPeer(tariff, false)) }
  if (!agreed.costBreakdown && view.cost_breakdown !== undefined) {
    const { cost_breakdown: _omitted, ...defined } = view
    view = defined
  }
  return view
}
