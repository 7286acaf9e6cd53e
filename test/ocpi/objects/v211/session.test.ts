import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Location } from '../../../../src/ocpi/objects/location'
import { Session } from '../../../../src/ocpi/objects/session'
import { location211 as location211Adapter } from '../../../../src/ocpi/objects/v211/location'
import { Session211, session211, session211Losses, SessionPatch211, sessionPatch211, sessionTo211 } from '../../../../src/ocpi/objects/v211/session'
import { amount, dateTime, evse211, id, location211, optional, patchOf } from './arbitraries'
import { expectDocumented, expectLossesDeclared, expectStable } from './checks'

const owner = { country_code: 'BE', party_id: 'BEC' }
const place = {
  id: 'LOC1', type: 'ON_STREET', address: 'F.Rooseveltlaan 3A', city: 'Gent', postal_code: '9000', country: 'BEL', coordinates: { latitude: '51.047599', longitude: '3.729944' },
  evses: [{ uid: '3256', status: 'AVAILABLE', last_updated: '2015-06-29T22:39:09Z', connectors: [
    { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_1_PHASE', voltage: 230, amperage: 64, last_updated: '2015-06-29T22:39:09Z' },
  ] }],
  last_updated: '2015-06-29T22:39:09Z',
}
const wire = Session211.parse({
  id: '101', start_datetime: '2015-06-29T22:39:09Z', kwh: 0, auth_id: 'DE8ACC12E46L89', auth_method: 'WHITELIST', location: place, currency: 'EUR',
  charging_periods: [{ start_date_time: '2015-06-29T22:39:09Z', dimensions: [{ type: 'FLAT', volume: 1 }] }, { start_date_time: '2015-06-29T22:40:09Z', dimensions: [{ type: 'ENERGY', volume: 1 }, { type: 'FLAT', volume: 1 }] }],
  total_cost: 0.6, status: 'ACTIVE', last_updated: '2015-06-29T22:39:09Z',
})

describe('2.1.1 Session', () => {
  it('reads the embedded location as ids, auth_id as the token\'s contract_id, total_cost as excluding VAT', () => {
    expect(session211.toCanonical(wire, owner)).toStrictEqual({
      country_code: 'BE', party_id: 'BEC', id: '101', start_date_time: '2015-06-29T22:39:09Z', kwh: 0, auth_method: 'WHITELIST', currency: 'EUR', status: 'ACTIVE',
      cdr_token: { country_code: '', party_id: '', uid: 'DE8ACC12E46L89', type: 'OTHER', contract_id: 'DE8ACC12E46L89' },
      location_id: 'LOC1', evse_uid: '3256', connector_id: '1',
      charging_periods: [{ start_date_time: '2015-06-29T22:40:09Z', dimensions: [{ type: 'ENERGY', volume: 1 }] }],
      total_cost: { before_taxes: 0.6 }, last_updated: '2015-06-29T22:39:09Z',
    })
  })

  it('embeds the stored location, narrowed to the session\'s EVSE and connector, when the caller has it', () => {
    const canonical = Session.parse({ ...session211.toCanonical(wire, owner), auth_method: 'COMMAND', status: 'RESERVATION', total_cost: { before_taxes: 1, taxes: [{ name: 'VAT', amount: 0.21 }] } })
    const stored = Location.parse({ ...location211Adapter.toCanonical(parseLocation211(place), owner), evses: [
      { uid: 'OTHER', status: 'AVAILABLE', last_updated: '2015-06-29T22:39:09Z', connectors: [{ id: '1', standard: 'CHADEMO', format: 'CABLE', power_type: 'DC', max_voltage: 400, max_amperage: 100, last_updated: '2015-06-29T22:39:09Z' }] },
      ...location211Adapter.toCanonical(parseLocation211(place), owner).evses!,
    ] })
    const sent = sessionTo211(canonical, stored)
    expect(sent).toMatchObject({ auth_method: 'AUTH_REQUEST', status: 'PENDING', total_cost: 1, location: { id: 'LOC1', address: 'F.Rooseveltlaan 3A', evses: [{ uid: '3256' }] } })
    expect(sent.location.evses).toHaveLength(1)
    expect(session211.fromCanonical(canonical).location).toStrictEqual({
      id: 'LOC1', type: 'UNKNOWN', address: '', city: '', postal_code: '', country: '', coordinates: { latitude: '0.000000', longitude: '0.000000' }, last_updated: '2015-06-29T22:39:09Z',
      evses: [{ uid: '3256', status: 'UNKNOWN', last_updated: '2015-06-29T22:39:09Z', connectors: [
        { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_1_PHASE', voltage: 0, amperage: 0, last_updated: '2015-06-29T22:39:09Z' },
      ] }],
    })
  })

  it('refuses a session whose location has no EVSE', () => {
    expect(Session211.safeParse({ ...wire, location: { ...place, evses: [] } }).error?.issues[0]?.path).toEqual(['location', 'evses'])
  })

  it('converts a PATCH without inventing fields', () => {
    expect(sessionPatch211.toCanonical(SessionPatch211.parse({ total_cost: 0.6 }))).toStrictEqual({ total_cost: { before_taxes: 0.6 } })
    expect(sessionPatch211.fromCanonical({ kwh: 2, location_id: 'L', last_updated: '2015-06-29T22:39:09Z' })).toStrictEqual({ kwh: 2, last_updated: '2015-06-29T22:39:09Z' })
  })

  it('lists every field that differs between the versions as lost', () => expectLossesDeclared(session211Losses, 'Session', Session, Session211))

  it('docs/ocpi-2.1.1.md shows the same losses', () => expectDocumented(session211Losses))

  const period = fc.record({ start_date_time: dateTime, dimensions: fc.array(fc.record({ type: fc.constantFrom('ENERGY' as const, 'FLAT' as const, 'MAX_CURRENT' as const, 'TIME' as const), volume: amount }), { minLength: 1, maxLength: 3 }) })
  const session = fc.record(
    {
      id: id(36), start_datetime: dateTime, end_datetime: dateTime, kwh: amount, auth_id: id(36), auth_method: fc.constantFrom('AUTH_REQUEST' as const, 'WHITELIST' as const),
      location: fc.tuple(location211, evse211).map(([location, evse]) => ({ ...location, evses: [evse] })), meter_id: id(255), currency: fc.constantFrom('EUR'),
      charging_periods: fc.array(period, { maxLength: 3 }), total_cost: amount, status: fc.constantFrom('ACTIVE' as const, 'COMPLETED' as const, 'INVALID' as const, 'PENDING' as const), last_updated: dateTime,
    },
    { requiredKeys: ['id', 'start_datetime', 'kwh', 'auth_id', 'auth_method', 'location', 'currency', 'status', 'last_updated'] },
  )

  it('wire -> canonical -> wire is stable after one round, and canonical -> 2.1.1 is valid 2.1.1', () => {
    fc.assert(fc.property(session, (value) => expectStable(session211, value, owner)), { numRuns: 150 })
    fc.assert(fc.property(patchOf(session), (value) => expectStable(sessionPatch211, value, owner)), { numRuns: 150 })
    const canonical = fc.tuple(session, fc.constantFrom('COMMAND' as const, 'WHITELIST' as const), fc.constantFrom('RESERVATION' as const, 'ACTIVE' as const), optional(fc.constantFrom('STATE_OF_CHARGE' as const, 'POWER' as const)))
      .map(([value, auth_method, status, dimension]) => {
        const converted = session211.toCanonical(Session211.parse(value), owner)
        return Session.parse({
          ...converted, auth_method, status, authorization_reference: 'R',
          charging_periods: [...(converted.charging_periods ?? []), ...(dimension ? [{ start_date_time: value.start_datetime, dimensions: [{ type: dimension, volume: 1 }], tariff_id: 'T' }] : [])],
        })
      })
    fc.assert(fc.property(canonical, (value) => {
      expect(Session211.safeParse(session211.fromCanonical(value)).error).toBeUndefined()
      expect(SessionPatch211.safeParse(sessionPatch211.fromCanonical(value)).error).toBeUndefined()
    }), { numRuns: 150 })
  })
})

function parseLocation211(value: unknown) {
  return location211Adapter.schema.parse(value)
}
