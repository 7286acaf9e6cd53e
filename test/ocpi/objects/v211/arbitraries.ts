import fc from 'fast-check'
import { Capability211, ConnectorType211, Facility211, LocationType211, PowerType211 } from '../../../../src/ocpi/objects/v211/location'

// Generators of valid OCPI 2.1.1 objects (and of canonical objects with what 2.1.1 cannot carry), for the properties
// of the 2.1.1 adapters: wire -> canonical -> wire is stable after one round, and canonical -> 2.1.1 is valid 2.1.1.

export const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined })
export const text = (max: number) => fc.string({ maxLength: Math.min(max, 12), unit: 'grapheme' }).filter((value) => value.length <= max)
export const ascii = (max: number, min = 0) => fc.string({ unit: fc.constantFrom(...'ABCXYZabc0129-_. '), minLength: min, maxLength: Math.min(max, 10) })
export const id = (max: number) => ascii(max, 1)
export const dateTime = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z'))
export const amount = fc.integer({ min: 0, max: 10_000_000 }).map((cents) => cents / 10_000)

const coordinate = (wholeDigits: number, decimals: number) =>
  fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 10 ** wholeDigits - 1 }), fc.integer({ min: 0, max: 10 ** decimals - 1 }))
    .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}.${String(fraction).padStart(decimals, '0')}`)
export const geoLocation211 = fc.record({ latitude: coordinate(2, 6), longitude: coordinate(3, 6) })
export const geoLocationCanonical = fc.integer({ min: 5, max: 7 }).chain((decimals) => fc.record({ latitude: coordinate(2, decimals), longitude: coordinate(3, decimals) }))
  .filter(({ latitude, longitude }) => latitude.length <= 10 && longitude.length <= 11)
export const displayText = fc.record({ language: fc.constantFrom('en', 'nl', 'fr'), text: text(512) })
const image = fc.record(
  { url: fc.constant('https://example.com/a.png'), category: fc.constantFrom('CHARGER', 'OTHER', 'OWNER'), type: fc.constantFrom('png', 'jpeg'), width: fc.integer({ min: 1, max: 99999 }) },
  { requiredKeys: ['url', 'category', 'type'] },
)
const businessDetails = fc.record({ name: text(100), website: fc.constant('https://example.com'), logo: image }, { requiredKeys: ['name'] })
const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([hour, minute]) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`)
const period = fc.record({ period_begin: dateTime, period_end: dateTime })
const hours211 = fc.oneof(
  fc.record({ twentyfourseven: fc.boolean(), exceptional_closings: fc.array(period, { maxLength: 2 }) }, { requiredKeys: ['twentyfourseven'] }),
  fc.record(
    { regular_hours: fc.array(fc.record({ weekday: fc.integer({ min: 1, max: 7 }), period_begin: time, period_end: time }), { maxLength: 3 }), twentyfourseven: fc.constant(false) },
    { requiredKeys: ['regular_hours'] },
  ),
)
const energyMix211 = fc.record(
  {
    is_green_energy: fc.boolean(),
    energy_sources: fc.array(fc.record({ source: fc.constantFrom('SOLAR', 'WIND', 'COAL'), percentage: fc.integer({ min: 0, max: 100 }) }), { maxLength: 2 }),
    environ_impact: fc.array(fc.record({ source: fc.constantFrom('NUCLEAR_WASTE', 'CARBON_DIOXIDE'), amount }), { maxLength: 2 }),
    supplier_name: text(64),
  },
  { requiredKeys: ['is_green_energy'] },
)

export const connector211 = fc.record(
  {
    id: id(36),
    standard: fc.constantFrom(...ConnectorType211.options),
    format: fc.constantFrom('SOCKET' as const, 'CABLE' as const),
    power_type: fc.constantFrom(...PowerType211.options),
    voltage: fc.integer({ min: 0, max: 1000 }),
    amperage: fc.integer({ min: 0, max: 500 }),
    tariff_id: id(36),
    terms_and_conditions: fc.constant('https://example.com/terms'),
    last_updated: dateTime,
  },
  { requiredKeys: ['id', 'standard', 'format', 'power_type', 'voltage', 'amperage', 'last_updated'] },
)
const status = fc.constantFrom('AVAILABLE' as const, 'CHARGING' as const, 'REMOVED' as const)
export const evse211 = fc.record(
  {
    uid: id(39),
    evse_id: id(48),
    status,
    status_schedule: fc.array(fc.record({ period_begin: dateTime, status }), { maxLength: 2 }),
    capabilities: fc.subarray([...Capability211.options]),
    connectors: fc.uniqueArray(connector211, { minLength: 1, maxLength: 3, selector: (connector) => connector.id.toUpperCase() }),
    floor_level: text(4),
    coordinates: geoLocation211,
    physical_reference: text(16),
    directions: fc.array(displayText, { maxLength: 2 }),
    parking_restrictions: fc.subarray(['EV_ONLY', 'PLUGGED', 'DISABLED'] as const),
    images: fc.array(image, { maxLength: 1 }),
    last_updated: dateTime,
  },
  { requiredKeys: ['uid', 'status', 'connectors', 'last_updated'] },
)
export const location211 = fc.record(
  {
    id: id(39),
    type: fc.constantFrom(...LocationType211.options),
    name: text(255),
    address: text(45),
    city: text(45),
    postal_code: text(10),
    country: fc.constantFrom('NLD', 'BEL'),
    coordinates: geoLocation211,
    related_locations: fc.array(fc.record({ latitude: coordinate(2, 6), longitude: coordinate(3, 6), name: displayText }, { requiredKeys: ['latitude', 'longitude'] }), { maxLength: 2 }),
    evses: fc.uniqueArray(evse211, { maxLength: 3, selector: (evse) => evse.uid.toUpperCase() }),
    directions: fc.array(displayText, { maxLength: 2 }),
    operator: businessDetails,
    owner: businessDetails,
    facilities: fc.subarray([...Facility211.options]),
    time_zone: fc.constantFrom('Europe/Amsterdam', 'UTC'),
    opening_times: hours211,
    charging_when_closed: fc.boolean(),
    images: fc.array(image, { maxLength: 2 }),
    energy_mix: energyMix211,
    last_updated: dateTime,
  },
  { requiredKeys: ['id', 'type', 'address', 'city', 'postal_code', 'country', 'coordinates', 'last_updated'] },
)

/** A patch: any subset of an object's fields. */
export const patchOf = <T extends object>(arbitrary: fc.Arbitrary<T>) =>
  fc.tuple(arbitrary, fc.func(fc.boolean())).map(([object, keep]) => Object.fromEntries(Object.entries(object).filter(([key]) => keep(key)))) as fc.Arbitrary<Partial<T>>
