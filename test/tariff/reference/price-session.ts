// The engine as it was before its arithmetic moved to exact scaled integers, kept unchanged (big.js) as the
// reference the engine is compared with in test/tariff/reference.test.ts. Not used by the application.
import type { AppliedComponent, BilledDimension, ComponentCost, CostType, PricedPeriod, TariffBreakdown, VolumeUnit } from './breakdown'
import { energyBoundaries, instantBoundaries } from './boundaries'
import { dateTimeOf, type Decimal, fromNumber, ONE, roundMoney, roundUpTo, SECONDS_PER_HOUR, sum, toText, WH_PER_KWH, ZERO } from './decimal'
import { assertTimeZone } from './local-time'
import { allocate, costOf, CostSum, splitTaxes, type Tax } from './money'
import { applyPriceLimits } from './price-limits'
import { type CompiledElement, compileElement, type PieceState, restrictionsHold, stateOf } from './restrictions'
import { buildTimeline, cutAtEnergies, cutAtInstants, type Piece } from './timeline'
import { type PriceComponent, type PricingContext, PricingError, type SessionUsage, type Tariff } from './types'

// mod_tariffs, Tariff object: "When the list of Tariff Elements contains more than one Element that has a Price
// Component for a certain dimension, then the first Tariff Element with a Price Component for that dimension in the
// list with matching Tariff Restrictions will be used." Dimensions are looked up separately, per stretch of the
// session; a dimension no element matches costs nothing.

type Phase = 'session' | 'reservation'
type ComponentType = PriceComponent['type']

interface Applied {
  element: CompiledElement
  componentIndex: number
  component: PriceComponent
}

interface Row {
  piece: number
  phase: Phase
  dimension: BilledDimension
  volume: Decimal
  billed: Decimal
  applied: Applied | null
  before: Decimal
  tax: Tax | null
}

const UNITS: Record<BilledDimension, VolumeUnit> = { ENERGY: 'kWh', TIME: 's', PARKING_TIME: 's', RESERVATION_TIME: 's', FLAT: 'count' }
const ONE_WH = ONE.div(WH_PER_KWH)
const isTimeBased = (dimension: BilledDimension) => dimension !== 'ENERGY' && dimension !== 'FLAT'

function validate(tariff: Tariff): void {
  for (const [elementIndex, element] of tariff.elements.entries()) {
    for (const [componentIndex, component] of element.price_components.entries()) {
      const path = `elements.${elementIndex}.price_components.${componentIndex}`
      if (!Number.isFinite(component.price) || component.price < 0) throw new PricingError('A price must be a number of at least 0', `${path}.price`)
      if (component.vat !== undefined && (!Number.isFinite(component.vat) || component.vat < 0)) throw new PricingError('A VAT percentage must be at least 0', `${path}.vat`)
      if (!Number.isInteger(component.step_size) || component.step_size < 0) throw new PricingError('step_size must be a whole number of at least 0', `${path}.step_size`)
    }
  }
  for (const field of ['min_price', 'max_price'] as const) {
    const limit = tariff[field]
    if (limit && (!(limit.before_taxes >= 0) || (limit.after_taxes !== undefined && !(limit.after_taxes >= 0)))) throw new PricingError('A price limit must be at least 0', field)
  }
}

/**
 * Prices a session under a tariff, per mod_tariffs and mod_cdrs of OCPI 2.2.1 and 2.3.0. Pure: no clock, no I/O;
 * the Location's time zone comes in. Throws PricingError for input it cannot price.
 */
export function priceSession(tariff: Tariff, usage: SessionUsage, context: PricingContext): TariffBreakdown {
  validate(tariff)
  try {
    assertTimeZone(context.time_zone)
  } catch {
    throw new PricingError(`Unknown time zone: ${context.time_zone}`, 'time_zone')
  }
  const elements = tariff.elements.map(compileElement)
  const timeline = buildTimeline(usage)
  const pieces = cutAtInstants(cutAtEnergies(timeline.pieces, energyBoundaries(elements)), instantBoundaries(elements, timeline, context.time_zone))

  // mod_tariffs, ReservationRestrictionType: RESERVATION elements price a reservation, RESERVATION_EXPIRES ones one
  // that expired; "When a Tariff has both ... the time based cost of an expired reservation will be calculated based
  // on the RESERVATION_EXPIRES Tariff Element", so for an expired reservation those are looked at first.
  const withReservation = (type: CompiledElement['reservation']) => elements.filter((element) => element.reservation === type)
  const candidates: Record<Phase, CompiledElement[]> = {
    session: withReservation(null),
    reservation: timeline.reservation === 'EXPIRED' ? [...withReservation('RESERVATION_EXPIRES'), ...withReservation('RESERVATION')] : withReservation('RESERVATION'),
  }

  const rows: Row[] = []
  const flatBilled = new Set<Phase>()
  for (const [pieceIndex, piece] of pieces.entries()) {
    const phase: Phase = piece.kind === 'RESERVATION' ? 'reservation' : 'session'
    const phaseStart = phase === 'reservation' ? (timeline.reservationStart ?? piece.start) : timeline.sessionStart
    const find = componentFinder(candidates[phase], stateOf(piece, phaseStart, context.time_zone))
    const row = (dimension: BilledDimension, volume: Decimal, type: ComponentType) =>
      rows.push({ piece: pieceIndex, phase, dimension, volume, billed: volume, applied: find(type), before: ZERO, tax: null })

    const duration = piece.end.minus(piece.start)
    const energy = piece.energyEnd.minus(piece.energyStart)
    if (piece.kind === 'RESERVATION' && duration.gt(ZERO)) row('RESERVATION_TIME', duration, 'TIME')
    if (piece.kind === 'CHARGING' && energy.gt(ZERO)) row('ENERGY', energy, 'ENERGY')
    if (piece.kind === 'CHARGING' && piece.timeBilled && duration.gt(ZERO)) row('TIME', duration, 'TIME')
    if (piece.kind === 'PARKING' && duration.gt(ZERO)) row('PARKING_TIME', duration, 'PARKING_TIME')
    // FLAT: a fixed fee, once for the session and once for a reservation, from the first stretch where one applies.
    if (!flatBilled.has(phase) && find('FLAT')) {
      row('FLAT', ONE, 'FLAT')
      flatBilled.add(phase)
    }
  }

  applyStepSize(rows.filter((row) => row.phase === 'session' && row.dimension === 'ENERGY'), ONE_WH)
  applyStepSize(rows.filter((row) => row.phase === 'session' && (row.dimension === 'TIME' || row.dimension === 'PARKING_TIME')), ONE)
  applyStepSize(rows.filter((row) => row.phase === 'reservation' && row.dimension === 'RESERVATION_TIME'), ONE)

  const components = priceComponents(rows, tariff)
  const totals = new Map<CostType, CostSum>((['fixed', 'energy', 'time', 'parking', 'reservation'] as const).map((type) => [type, new CostSum()]))
  const unlimited = new CostSum()
  for (const { costType, before, tax } of components) {
    totals.get(costType)!.add(before, tax ? [tax] : [])
    unlimited.add(before, tax ? [tax] : [])
  }
  const limited = applyPriceLimits(unlimited, tariff)

  return {
    tariff: { country_code: tariff.country_code, party_id: tariff.party_id, id: tariff.id },
    currency: tariff.currency,
    tax_included: tariff.tax_included,
    time_zone: context.time_zone,
    reservation: timeline.reservation,
    periods: pricedPeriods(pieces, rows),
    components: components.map((component) => component.output),
    total_energy: toText(sum(pieces.map((piece) => piece.energyEnd.minus(piece.energyStart)))),
    total_cost: limited.total.toCost(),
    total_fixed_cost: totals.get('fixed')!.toCost(),
    total_energy_cost: totals.get('energy')!.toCost(),
    total_time_cost: totals.get('time')!.toCost(),
    total_parking_cost: totals.get('parking')!.toCost(),
    total_reservation_cost: totals.get('reservation')!.toCost(),
    price_limit: limited.applied.length === 0 ? null : { applied: limited.applied, before_limit: unlimited.toCost() },
  }
}

/** The first candidate element whose restrictions hold here and that has a component of the type. */
function componentFinder(candidates: CompiledElement[], state: PieceState): (type: ComponentType) => Applied | null {
  const holds = new Map<number, boolean>()
  return (type) => {
    for (const element of candidates) {
      const componentIndex = element.element.price_components.findIndex((component) => component.type === type)
      const component = element.element.price_components[componentIndex]
      if (!component) continue
      let elementHolds = holds.get(element.index)
      if (elementHolds === undefined) holds.set(element.index, (elementHolds = restrictionsHold(element, state)))
      if (elementHolds) return { element, componentIndex, component }
    }
    return null
  }
}

/**
 * mod_cdrs, CDR object, step_size: taken into account "once per session for ... ENERGY and once for PARKING_TIME
 * and TIME combined"; "The step_size uses the total amount of a certain unit used during a session, not only the
 * last ChargingPeriod"; the step_size "of the last relevant PriceComponent is used"; and "In the cases that TIME and
 * PARKING_TIME Tariff Elements are both used, step_size is only taken into account for the total parking duration".
 * mod_tariffs (step_size example, "switching to Free-of-Charge Tariff Element"): the rounded-up part "is then added
 * to the last period with a Price Component with a time-based dimension". So: the last billed row of the group
 * names the dimension and the step_size; that dimension's billed total is rounded up, and the difference is added
 * to that last row. A reservation's time is a dimension of its own, rounded the same way.
 */
function applyStepSize(rows: Row[], stepUnit: Decimal): void {
  const billed = rows.filter((row) => row.applied !== null)
  const last = billed.at(-1)
  if (!last || last.applied!.component.step_size === 0) return
  const total = sum(billed.filter((row) => row.dimension === last.dimension).map((row) => row.volume))
  const step = fromNumber(last.applied!.component.step_size).times(stepUnit)
  last.billed = last.billed.plus(roundUpTo(total, step).minus(total))
}

interface PricedComponent {
  costType: CostType
  before: Decimal
  tax: Tax | null
  output: ComponentCost
}

const costTypeOf = (row: Row): CostType =>
  row.phase === 'reservation' ? 'reservation' : row.dimension === 'ENERGY' ? 'energy' : row.dimension === 'TIME' ? 'time' : row.dimension === 'PARKING_TIME' ? 'parking' : 'fixed'

/**
 * Each PriceComponent's billed volumes are added up and priced once (price per kWh, per hour, or per FLAT), so
 * cutting a period in two never changes a rounding. Its amount and VAT are then shared out over its rows.
 */
function priceComponents(rows: Row[], tariff: Tariff): PricedComponent[] {
  const groups = new Map<string, [Row, ...Row[]]>()
  for (const row of rows) {
    if (!row.applied) continue
    const key = `${row.phase}/${row.dimension}/${row.applied.element.index}/${row.applied.componentIndex}`
    const group = groups.get(key)
    if (group) group.push(row)
    else groups.set(key, [row])
  }
  return [...groups.values()].map((group) => {
    const [first] = group
    const { component } = first.applied!
    const billed = sum(group.map((row) => row.billed))
    const price = fromNumber(component.price)
    const amount = roundMoney(isTimeBased(first.dimension) ? price.times(billed).div(SECONDS_PER_HOUR) : price.times(billed))
    const rate = component.vat === undefined ? null : fromNumber(component.vat)
    const { before, tax } = splitTaxes(amount, component.vat, rate, tariff.tax_included)
    const billedOf = (row: Row) => row.billed
    for (const { part: row, share } of allocate(before, group, billedOf)) {
      row.before = share
      row.tax = null
    }
    if (tax) for (const { part: row, share } of allocate(tax.amount, group, billedOf)) row.tax = { rate: tax.rate, amount: share }
    return {
      costType: costTypeOf(first),
      before,
      tax,
      output: {
        cost_type: costTypeOf(first), dimension: first.dimension, unit: UNITS[first.dimension],
        component: appliedOutput(first.applied!), billed_volume: toText(billed), cost: costOf(before, tax ? [tax] : []),
      },
    }
  })
}

function appliedOutput({ element, componentIndex, component }: Applied): AppliedComponent {
  return {
    element_index: element.index, component_index: componentIndex, type: component.type, price: toText(fromNumber(component.price)),
    vat: component.vat === undefined ? null : toText(fromNumber(component.vat)), step_size: component.step_size,
  }
}

function pricedPeriods(pieces: Piece[], rows: Row[]): PricedPeriod[] {
  const byPiece = new Map<number, Row[]>()
  for (const row of rows) byPiece.set(row.piece, [...(byPiece.get(row.piece) ?? []), row])
  return [...byPiece.entries()].map(([index, pieceRows]) => {
    const piece = pieces[index]
    if (!piece) throw new RangeError(`A priced row names piece ${index} of ${pieces.length}`)
    return {
      source_period: piece.period,
      kind: piece.kind,
      start_date_time: dateTimeOf(piece.start),
      end_date_time: dateTimeOf(piece.end),
      dimensions: pieceRows.map((row) => ({
        type: row.dimension, unit: UNITS[row.dimension], volume: toText(row.volume), billed_volume: toText(row.billed),
        price_component: row.applied ? appliedOutput(row.applied) : null, cost: costOf(row.before, row.tax ? [row.tax] : []),
      })),
    }
  })
}
