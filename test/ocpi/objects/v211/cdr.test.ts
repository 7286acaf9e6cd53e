import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CDR } from '../../../../src/ocpi/objects/cdr'
import { CDR211, cdr211, cdr211Losses } from '../../../../src/ocpi/objects/v211/cdr'
import type { Tariff211 } from '../../../../src/ocpi/objects/v211/tariff'
import { amount, dateTime, evse211, id, location211 } from './arbitraries'
import { expectDocumented, expectLossesDeclared, expectStable } from './checks'

const owner = { country_code: 'BE', party_id: 'BEC' }
const wire = CDR211.parse({
  id: '12345', start_date_time: '2015-06-29T21:39:09Z', stop_date_time: '2015-06-29T23:37:32Z', auth_id: 'DE8ACC12E46L89', auth_method: 'WHITELIST',
  location: {
    id: 'LOC1', type: 'ON_STREET', name: 'Gent Zuid', address: 'F.Rooseveltlaan 3A', city: 'Gent', postal_code: '9000', country: 'BE', coordinates: { latitude: '3.729944', longitude: '51.047599' },
    evses: [{ uid: '3256', evse_id: 'BE-BEC-E041503003', status: 'AVAILABLE', last_updated: '2015-06-29T21:39:01Z', connectors: [
      { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_1_PHASE', voltage: 230, amperage: 64, tariff_id: '11', last_updated: '2015-06-29T21:39:01Z' },
    ] }],
    last_updated: '2015-06-29T21:39:01Z',
  },
  currency: 'EUR',
  tariffs: [{ id: '12', currency: 'EUR', elements: [{ price_components: [{ type: 'TIME', price: 2, step_size: 300 }] }], last_updated: '2015-02-02T14:15:01Z' }],
  charging_periods: [{ start_date_time: '2015-06-29T21:39:09Z', dimensions: [{ type: 'TIME', volume: 1.973 }] }],
  total_cost: 4, total_energy: 15.342, total_time: 1.973, last_updated: '2015-06-29T22:01:13Z',
})
const cdrLocation = {
  id: 'LOC1', name: 'Gent Zuid', address: 'F.Rooseveltlaan 3A', city: 'Gent', postal_code: '9000', country: 'BE', coordinates: { latitude: '3.729944', longitude: '51.047599' },
  evse_uid: '3256', evse_id: 'BE-BEC-E041503003', connector_id: '1', connector_standard: 'IEC_62196_T2', connector_format: 'SOCKET', connector_power_type: 'AC_1_PHASE',
}

describe('2.1.1 CDR', () => {
  it('reads the embedded location as the CdrLocation and the tariffs as excluding VAT', () => {
    const canonical = cdr211.toCanonical(wire, owner)
    expect(CDR.parse(canonical)).toStrictEqual(canonical)
    expect(canonical).toStrictEqual({
      country_code: 'BE', party_id: 'BEC', id: '12345', start_date_time: '2015-06-29T21:39:09Z', end_date_time: '2015-06-29T23:37:32Z', auth_method: 'WHITELIST',
      cdr_token: { country_code: '', party_id: '', uid: 'DE8ACC12E46L89', type: 'OTHER', contract_id: 'DE8ACC12E46L89' }, cdr_location: cdrLocation, currency: 'EUR',
      tariffs: [{ country_code: 'BE', party_id: 'BEC', tax_included: 'NO', id: '12', currency: 'EUR', elements: [{ price_components: [{ type: 'TIME', price: 2, step_size: 300 }] }], last_updated: '2015-02-02T14:15:01Z' }],
      charging_periods: [{ start_date_time: '2015-06-29T21:39:09Z', dimensions: [{ type: 'TIME', volume: 1.973 }] }],
      total_cost: { before_taxes: 4 }, total_energy: 15.342, total_time: 1.973, last_updated: '2015-06-29T22:01:13Z',
    })
  })

  it('sends a canonical CDR with an embedded location built from its CdrLocation', () => {
    const canonical = CDR.parse({
      ...cdr211.toCanonical(wire, owner), auth_method: 'COMMAND', session_id: 'S1', total_cost: { before_taxes: 4, taxes: [{ name: 'VAT', amount: 0.84 }] }, total_energy_cost: { before_taxes: 1 },
      charging_periods: [{ start_date_time: '2015-06-29T21:39:09Z', dimensions: [{ type: 'STATE_OF_CHARGE', volume: 80 }], tariff_id: '12' }], credit: false,
    })
    expect(cdr211.fromCanonical(canonical)).toStrictEqual({
      ...wire, auth_method: 'AUTH_REQUEST',
      location: {
        id: 'LOC1', type: 'UNKNOWN', name: 'Gent Zuid', address: 'F.Rooseveltlaan 3A', city: 'Gent', postal_code: '9000', country: 'BE', coordinates: { latitude: '3.729944', longitude: '51.047599' },
        evses: [{ uid: '3256', evse_id: 'BE-BEC-E041503003', status: 'UNKNOWN', last_updated: '2015-06-29T22:01:13Z', connectors: [
          { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_1_PHASE', voltage: 0, amperage: 0, last_updated: '2015-06-29T22:01:13Z' },
        ] }],
        last_updated: '2015-06-29T22:01:13Z',
      },
      // No period kept a dimension 2.1.1 has: the whole session as charging time.
      charging_periods: [{ start_date_time: '2015-06-29T21:39:09Z', dimensions: [{ type: 'TIME', volume: 1.973 }] }],
    })
  })

  it('lists every field that differs between the versions as lost', () => expectLossesDeclared(cdr211Losses, 'CDR', CDR, CDR211))

  it('docs/ocpi-2.1.1.md shows the same losses', () => expectDocumented(cdr211Losses))

  const tariff: Tariff211 = { id: 'T', currency: 'EUR', elements: [{ price_components: [{ type: 'FLAT', price: 1, step_size: 1 }] }], last_updated: '2015-02-02T14:15:01Z' }
  const period = fc.record({ start_date_time: dateTime, dimensions: fc.array(fc.record({ type: fc.constantFrom('ENERGY' as const, 'FLAT' as const, 'MIN_CURRENT' as const, 'PARKING_TIME' as const), volume: amount }), { minLength: 1, maxLength: 3 }) })
  const cdr = fc.record(
    {
      id: id(36), start_date_time: dateTime, stop_date_time: dateTime, auth_id: id(36), auth_method: fc.constantFrom('AUTH_REQUEST' as const, 'WHITELIST' as const),
      location: fc.tuple(location211, evse211).map(([location, evse]) => ({ ...location, evses: [evse] })), meter_id: id(255), currency: fc.constantFrom('EUR'),
      tariffs: fc.constant(null).map((): Tariff211[] => [tariff]),
      charging_periods: fc.array(period, { minLength: 1, maxLength: 3 }), total_cost: amount, total_energy: amount, total_time: amount, total_parking_time: amount, remark: id(255), last_updated: dateTime,
    },
    { requiredKeys: ['id', 'start_date_time', 'stop_date_time', 'auth_id', 'auth_method', 'location', 'currency', 'charging_periods', 'total_cost', 'total_energy', 'total_time', 'last_updated'] },
  )

  it('wire -> canonical -> wire is stable after one round, and canonical -> 2.1.1 is valid 2.1.1', () => {
    fc.assert(fc.property(cdr, (value) => expectStable(cdr211, value, owner)), { numRuns: 150 })
    const canonical = fc.tuple(cdr, fc.constantFrom('COMMAND' as const, 'WHITELIST' as const), fc.boolean(), fc.constantFrom('AC_2_PHASE' as const, 'DC' as const))
      .map(([value, auth_method, withoutPeriods, powerType]) => {
        const converted = cdr211.toCanonical(CDR211.parse(value), owner)
        return CDR.parse({
          ...converted, auth_method, session_id: 'S', signed_data: { encoding_method: 'X', signed_values: [{ nature: 'Start', plain_data: 'p', signed_data: 's' }] },
          cdr_location: { ...converted.cdr_location, connector_power_type: powerType, evse_id: '' }, total_time_cost: { before_taxes: 1 },
          ...(withoutPeriods && { charging_periods: [{ start_date_time: value.start_date_time, dimensions: [{ type: 'STATE_OF_CHARGE', volume: 50 }] }] }),
        })
      })
    fc.assert(fc.property(canonical, (value) => { expect(CDR211.safeParse(cdr211.fromCanonical(value)).error).toBeUndefined() }), { numRuns: 150 })
  })
})
