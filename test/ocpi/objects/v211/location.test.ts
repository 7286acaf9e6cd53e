import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { Connector, EVSE, Location } from '../../../../src/ocpi/objects/location'
import {
  Connector211, connector211, ConnectorPatch211, connectorPatch211, EVSE211, evse211, EVSEPatch211, evsePatch211, Location211, location211,
  location211Losses, LocationPatch211, locationPatch211,
} from '../../../../src/ocpi/objects/v211/location'
import * as arbitrary from './arbitraries'
import { expectDocumented, expectLossesDeclared, expectStable } from './checks'

const owner = { country_code: 'NL', party_id: 'TNM' }

describe('2.1.1 Location, EVSE and Connector', () => {
  it('reads the owner from the connection and fills what 2.1.1 leaves out', () => {
    const wire = Location211.parse({
      id: 'LOC1', type: 'OTHER', address: 'Street 1', city: 'Gent', postal_code: '9000', country: 'BEL',
      coordinates: { latitude: '51.047599', longitude: '3.729944' }, last_updated: '2015-06-29T20:39:09Z',
    })
    expect(location211.toCanonical(wire, owner)).toStrictEqual({
      country_code: 'NL', party_id: 'TNM', publish: true, time_zone: 'UTC', id: 'LOC1', address: 'Street 1', city: 'Gent', postal_code: '9000',
      country: 'BEL', coordinates: { latitude: '51.047599', longitude: '3.729944' }, last_updated: '2015-06-29T20:39:09Z',
    })
  })

  it('sends a canonical location in the 2.1.1 shape, losing only what the list says', () => {
    const canonical = Location.parse({
      country_code: 'NL', party_id: 'TNM', id: 'LOC1', publish: false, address: 'x'.repeat(60), city: 'Gent', country: 'BEL', state: 'Oost-Vlaanderen',
      coordinates: { latitude: '51.04759', longitude: '3.7299441' }, parking_type: 'ALONG_MOTORWAY', time_zone: 'Europe/Brussels', help_phone: '+3212',
      facilities: ['WIFI', 'METRO_STATION'], last_updated: '2015-06-29T20:39:09Z',
      evses: [
        { uid: 'E1', status: 'AVAILABLE', capabilities: ['RESERVABLE', 'PED_TERMINAL'], last_updated: '2015-06-29T20:39:09Z', connectors: [
          { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_2_PHASE_SPLIT', max_voltage: 240, max_amperage: 32, max_electric_power: 7680, tariff_ids: ['T1', 'T2'], last_updated: '2015-06-29T20:39:09Z' },
          { id: '2', standard: 'MCS', format: 'CABLE', power_type: 'DC', max_voltage: 1000, max_amperage: 3000, last_updated: '2015-06-29T20:39:09Z' },
        ] },
        { uid: 'E2', status: 'AVAILABLE', last_updated: '2015-06-29T20:39:09Z', connectors: [
          { id: '1', standard: 'SAE_J3400', format: 'CABLE', power_type: 'DC', max_voltage: 500, max_amperage: 300, last_updated: '2015-06-29T20:39:09Z' },
        ] },
      ],
    })
    expect(location211.fromCanonical(canonical)).toStrictEqual({
      id: 'LOC1', type: 'OTHER', address: 'x'.repeat(45), city: 'Gent', postal_code: '', country: 'BEL', time_zone: 'Europe/Brussels',
      coordinates: { latitude: '51.047590', longitude: '3.729944' }, facilities: ['WIFI'], last_updated: '2015-06-29T20:39:09Z',
      evses: [{ uid: 'E1', status: 'AVAILABLE', capabilities: ['RESERVABLE'], last_updated: '2015-06-29T20:39:09Z', connectors: [
        { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_1_PHASE', voltage: 240, amperage: 32, tariff_id: 'T1', last_updated: '2015-06-29T20:39:09Z' },
      ] }],
    })
  })

  it('says UNKNOWN for a location without a parking type', () => {
    const canonical = location211.toCanonical(Location211.parse({
      id: 'L', type: 'UNKNOWN', address: 'a', city: 'b', postal_code: 'c', country: 'BEL', coordinates: { latitude: '1.000000', longitude: '2.000000' }, last_updated: '2015-06-29T20:39:09Z',
    }), owner)
    expect(location211.fromCanonical(canonical).type).toBe('UNKNOWN')
  })

  it('converts patches without inventing fields or a last_updated', () => {
    expect(locationPatch211.toCanonical(LocationPatch211.parse({ name: 'Gent' }))).toStrictEqual({ name: 'Gent' })
    expect(connectorPatch211.toCanonical(ConnectorPatch211.parse({ tariff_id: '15', voltage: 230 }))).toStrictEqual({ tariff_ids: ['15'], max_voltage: 230 })
    expect(connectorPatch211.fromCanonical({ standard: 'MCS', last_updated: '2015-06-29T20:39:09Z' })).toStrictEqual({ last_updated: '2015-06-29T20:39:09Z' })
    expect(evsePatch211.fromCanonical({ status: 'REMOVED', parking: [], last_updated: '2015-06-29T20:39:09Z' })).toStrictEqual({ status: 'REMOVED', last_updated: '2015-06-29T20:39:09Z' })
  })

  it('lists every field that differs between the versions as lost', () => {
    expectLossesDeclared(location211Losses, 'Location', Location, Location211)
    expectLossesDeclared(location211Losses, 'EVSE', EVSE, EVSE211)
    expectLossesDeclared(location211Losses, 'Connector', Connector, Connector211)
  })

  it('docs/ocpi-2.1.1.md shows the same losses', () => expectDocumented(location211Losses))
})

describe('2.1.1 Location, EVSE and Connector properties', () => {
  const stable = <T>(adapter: Parameters<typeof expectStable<T>>[0], wire: T) => expectStable(adapter, wire, owner)

  it('wire -> canonical -> wire is stable after one round', () => {
    fc.assert(fc.property(arbitrary.location211, (wire) => stable(location211, wire)), { numRuns: 200 })
    fc.assert(fc.property(arbitrary.evse211, (wire) => stable(evse211, wire)), { numRuns: 200 })
    fc.assert(fc.property(arbitrary.connector211, (wire) => stable(connector211, wire)), { numRuns: 200 })
    fc.assert(fc.property(arbitrary.patchOf(arbitrary.location211), (wire) => stable(locationPatch211, wire)), { numRuns: 200 })
    fc.assert(fc.property(arbitrary.patchOf(arbitrary.evse211), (wire) => stable(evsePatch211, wire)), { numRuns: 200 })
  })

  // Canonical locations with what 2.1.1 lacks: 2.3.0 enum values, five or seven decimals, long addresses, no postal code.
  const canonicalLocation = fc
    .tuple(arbitrary.location211, arbitrary.geoLocationCanonical, fc.string({ maxLength: 255 }), fc.boolean(), fc.constantFrom('ALONG_MOTORWAY', 'ON_DRIVEWAY', 'PARKING_LOT', undefined), fc.subarray(['MCS', 'SAE_J3400', 'GBT_DC', 'IEC_62196_T2']), fc.constantFrom('AC_2_PHASE', 'AC_2_PHASE_SPLIT', 'DC'))
    .map(([wire, coordinates, address, withoutPostalCode, parkingType, standards, powerType]) => {
      const { postal_code, parking_type: _type, ...canonical } = location211.toCanonical(Location211.parse(wire), owner)
      return Location.parse({
        ...canonical, coordinates, address, ...(withoutPostalCode ? {} : { postal_code }), ...(parkingType && { parking_type: parkingType }),
        state: 'State', help_phone: '+31', facilities: [...(canonical.facilities ?? []), 'METRO_STATION'],
        evses: canonical.evses?.map((evse, index) => ({
          ...evse, capabilities: [...(evse.capabilities ?? []), 'PED_TERMINAL'], parking_restrictions: ['TAXIS'], accepted_service_providers: ['X'],
          connectors: [...evse.connectors.map((connector) => ({ ...connector, power_type: powerType, max_electric_power: 1 })), ...standards.map((standard) => ({
            ...evse.connectors[0]!, id: `x${index}-${standard}`, standard,
          }))].filter((connector, position, all) => all.findIndex((other) => other.id.toUpperCase() === connector.id.toUpperCase()) === position),
        })),
      })
    })

  it('canonical -> 2.1.1 is always valid 2.1.1', () => {
    fc.assert(fc.property(canonicalLocation, (canonical) => {
      expect(Location211.safeParse(location211.fromCanonical(canonical)).error).toBeUndefined()
      for (const evse of canonical.evses ?? []) {
        expect(EVSEPatch211.safeParse(evsePatch211.fromCanonical(evse)).error).toBeUndefined()
        for (const connector of evse.connectors) expect(ConnectorPatch211.safeParse(connectorPatch211.fromCanonical(connector)).error).toBeUndefined()
      }
    }), { numRuns: 200 })
  })
})
