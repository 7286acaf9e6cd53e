import type { CDR } from '../../ocpi/objects/cdr'
import { agreedWith } from '../../peers/extensions'
import { tariffForPeer } from '../tariffs/variants'
import { X_CDR_COST_BREAKDOWN } from '../x-cdr-cost-breakdown/module-id'
import { BOOKINGS_MODULE } from '../bookings/module-id'

// A peer that agreed no extension receives only the fields its version defines (docs/interop.md, "Honest objects").
// Three CDR fields depend on an agreement: `tariff_group_id` on embedded tariffs (multi-currency tariffs),
// `cost_breakdown` (docs/extensions/cdr-cost-breakdown.md) and `booking_id`, which only the 2.3.0 bookings release
// defines (its mod_cdrs; docs/bookings.md). This is the one place that decides which of them a peer gets; the 2.2.1 and
// 2.1.1 adapters drop `booking_id` whatever was agreed.

/** What a peer agreed that changes the fields of a CDR it receives. */
export interface CdrAgreements {
  /** The multi-currency tariffs extension (tariffs/store: the peer accepts non-ISO currencies). */
  tariffGroups: boolean
  /** `x-cdr-cost-breakdown`. */
  costBreakdown: boolean
  /** The Bookings module of the 2.3.0 bookings release. */
  bookings: boolean
}

export const agreesToCostBreakdown = (peer: { extensions: readonly string[] }) => agreedWith(peer, X_CDR_COST_BREAKDOWN)
export const agreesToBookings = (peer: { extensions: readonly string[] }) => agreedWith(peer, BOOKINGS_MODULE)

/** True when a tariff inside the CDR names a tariff group: only then does that agreement change the CDR. */
export const carriesTariffGroups = (cdr: CDR) => cdr.tariffs?.some((tariff) => tariff.tariff_group_id !== undefined) ?? false

/** The agreements that change this CDR: the others give every peer the same view. */
export function agreementsThatMatter(cdr: CDR): (keyof CdrAgreements)[] {
  return [
    ...(carriesTariffGroups(cdr) ? ['tariffGroups' as const] : []),
    ...(cdr.cost_breakdown !== undefined ? ['costBreakdown' as const] : []),
    ...(cdr.booking_id !== undefined ? ['bookings' as const] : []),
  ]
}

/** True when some peers may receive this CDR differently from others. */
export const differsPerPeer = (cdr: CDR) => agreementsThatMatter(cdr).length > 0

/**
 * Every combination of the agreements that change a CDR (`agreementsThatMatter`; the others set to false: they change
 * nothing).
 */
export function agreementViews(matters: readonly (keyof CdrAgreements)[]): CdrAgreements[] {
  return matters.reduce<CdrAgreements[]>(
    (views, agreement) => views.flatMap((view) => [view, { ...view, [agreement]: true }]),
    [{ tariffGroups: false, costBreakdown: false, bookings: false }],
  )
}

/** The CDR as a peer with these agreements may receive it. */
export function cdrForPeer(cdr: CDR, agreed: CdrAgreements): CDR {
  let view = cdr
  if (!agreed.tariffGroups && carriesTariffGroups(view)) view = { ...view, tariffs: view.tariffs!.map((tariff) => tariffForPeer(tariff, false)) }
  if (!agreed.costBreakdown && view.cost_breakdown !== undefined) {
    const { cost_breakdown: _omitted, ...defined } = view
    view = defined
  }
  if (!agreed.bookings && view.booking_id !== undefined) {
    const { booking_id: _omitted, ...defined } = view
    view = defined
  }
  return view
}
