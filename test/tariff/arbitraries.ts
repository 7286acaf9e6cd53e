import fc from 'fast-check'
import type { CdrDimension, ChargingPeriod } from '../../src/ocpi/objects/cdr'
import type { PriceComponent, Tariff, TariffElement, TariffRestrictions } from '../../src/ocpi/objects/tariff'
import type { SessionUsage } from '../../src/tariff'

// Arbitrary tariffs and sessions for the property tests. Durations are multiples of 36 seconds (hundredths of an
// hour) and energy rates whole watts, so every volume a period reports is an exact decimal and a run of constant
// power can be cut anywhere on that grid without changing what was used.

const decimal = (max: number, decimals: number) => fc.integer({ min: 0, max: max * 10 ** decimals }).map((n) => n / 10 ** decimals)
const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`)
const day = fc.integer({ min: 1, max: 28 }).chain((d) => fc.integer({ min: 1, max: 12 }).map((m) => `2024-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`))

const component: fc.Arbitrary<PriceComponent> = fc.record(
  {
    type: fc.constantFrom('ENERGY', 'FLAT', 'TIME', 'PARKING_TIME'),
    price: decimal(10, 4),
    vat: fc.constantFrom(0, 5, 9.5, 10, 20, 21, 25),
    step_size: fc.constantFrom(0, 1, 60, 100, 300, 500, 900),
  },
  { requiredKeys: ['type', 'price', 'step_size'] },
)

const restrictions: fc.Arbitrary<TariffRestrictions> = fc.record(
  {
    start_time: hhmm,
    end_time: hhmm,
    start_date: day,
    end_date: day,
    day_of_week: fc.subarray(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const, { minLength: 1 }),
    min_kwh: decimal(40, 1),
    max_kwh: decimal(60, 1),
    min_current: decimal(64, 0),
    max_current: decimal(64, 0),
    min_power: decimal(50, 1),
    max_power: decimal(50, 1),
    min_duration: fc.integer({ min: 0, max: 14_400 }),
    max_duration: fc.integer({ min: 0, max: 14_400 }),
    reservation: fc.constantFrom('RESERVATION', 'RESERVATION_EXPIRES'),
  },
  { requiredKeys: [] },
).chain((all) => {
  // Most elements in real tariffs have none, one or two restrictions; all of them AND-ed would rarely match.
  const keys = Object.keys(all) as Array<keyof TariffRestrictions>
  return fc.subarray(keys, { maxLength: 2 }).map((picked) => Object.fromEntries(picked.map((key) => [key, all[key]])) as TariffRestrictions)
})

const element: fc.Arbitrary<TariffElement> = fc.record(
  { price_components: fc.array(component, { minLength: 1, maxLength: 3 }), restrictions },
  { requiredKeys: ['price_components'] },
)

const limit = fc.record({ before_taxes: decimal(30, 2), after_taxes: decimal(36, 2) }, { requiredKeys: ['before_taxes'] })

/** Present about one time in four. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary, weight: 1 })

export const tariff: fc.Arbitrary<Tariff> = fc.record({
  elements: fc.array(element, { minLength: 1, maxLength: 5 }),
  tax_included: fc.constantFrom('YES', 'NO', 'N/A'),
  min_price: sometimes(limit),
  max_price: sometimes(limit),
}).map(({ min_price, max_price, ...rest }) => ({
  country_code: 'NL', party_id: 'ECO', id: 'T1', currency: 'EUR', last_updated: '2024-01-01T00:00:00Z', ...rest,
  ...(min_price ? { min_price } : {}), ...(max_price ? { max_price } : {}),
}))

/** A stretch of constant use: its kind, length in hundredths of an hour, power in watts, and what it reports. */
interface Run {
  kind: 'RESERVATION' | 'CHARGING' | 'PARKING'
  hundredths: number
  watts: number
  measures: CdrDimension[]
  /** where the finer cutting splits this run, in hundredths of an hour from its start */
  cuts: number[]
}

const measures: fc.Arbitrary<CdrDimension[]> = fc.record(
  { MIN_CURRENT: fc.integer({ min: 0, max: 64 }), MAX_CURRENT: fc.integer({ min: 0, max: 64 }), MAX_POWER: decimal(50, 1) },
  { requiredKeys: [] },
).map((picked) => Object.entries(picked).map(([type, volume]) => ({ type: type as CdrDimension['type'], volume })))

const run = (kind: Run['kind']): fc.Arbitrary<Run> => fc.record({
  kind: fc.constant(kind),
  hundredths: fc.integer({ min: 1, max: 150 }),
  watts: kind === 'CHARGING' ? fc.integer({ min: 0, max: 50_000 }) : fc.constant(0),
  measures: kind === 'CHARGING' ? measures : fc.constant<CdrDimension[]>([]),
  cuts: fc.uniqueArray(fc.integer({ min: 1, max: 149 }), { maxLength: 3 }),
})

/** A session: maybe a reservation, then charging and parking runs, starting anywhere in 2024 on a whole 36 seconds. */
export const session = fc.record({
  start: fc.integer({ min: 0, max: 876_000 }).map((n) => Date.UTC(2024, 0, 1) + n * 36_000),
  reservation: sometimes(run('RESERVATION')),
  runs: fc.array(fc.oneof(run('CHARGING'), run('PARKING')), { minLength: 0, maxLength: 6 }),
  expired: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
}).map(({ start, reservation, runs, expired }) => ({ start, runs: reservation ? (expired ? [reservation] : [reservation, ...runs]) : runs }))

export type Session = { start: number; runs: Run[] }

const hours = (hundredths: number) => hundredths / 100
const kwh = (watts: number, hundredths: number) => (watts * hundredths) / 100_000

function period(run: Run, startMs: number, hundredths: number): ChargingPeriod {
  const dimensions: CdrDimension[] =
    run.kind === 'RESERVATION' ? [{ type: 'RESERVATION_TIME', volume: hours(hundredths) }]
      : run.kind === 'PARKING' ? [{ type: 'PARKING_TIME', volume: hours(hundredths) }]
        : [{ type: 'ENERGY', volume: kwh(run.watts, hundredths) }, { type: 'TIME', volume: hours(hundredths) }, ...run.measures]
  return { start_date_time: new Date(startMs).toISOString(), dimensions }
}

/** The session with one period per run (`fine`: each run cut at its cut points as well). */
export function usageOf({ start, runs }: Session, fine: boolean): SessionUsage {
  const periods: ChargingPeriod[] = []
  let at = start
  for (const run of runs) {
    const edges = fine ? [0, ...run.cuts.filter((cut) => cut < run.hundredths).sort((a, b) => a - b), run.hundredths] : [0, run.hundredths]
    for (const [index, edge] of edges.slice(0, -1).entries()) periods.push(period(run, at + edge * 36_000, (edges[index + 1] ?? edge) - edge))
    at += run.hundredths * 36_000
  }
  return { start_date_time: new Date(start).toISOString(), end_date_time: new Date(at).toISOString(), charging_periods: periods }
}

export const timeZone = fc.constantFrom('Europe/Amsterdam', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC')
