import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { patchConnector, patchEvse, patchLocation, putConnector, putEvse } from '../../../src/modules/locations/merge'
import { connectorPatchVersions, connectorVersions, evsePatchVersions, evseVersions, locationPatchVersions } from '../../../src/ocpi/objects/version-maps'
import { OcpiError } from '../../../src/ocpi/errors'
import { fromWire } from '../../../src/ocpi/version-adapters'
import { sampleLocation } from './fixtures'
import { present } from '../../present'

// PATCH and sub-object PUT merges, fed what a peer may push: the receiver's own parse then merge either yields a
// Location (or "older, ignored") or throws OcpiError; never another error, and never a Location that went back in time.

const stored = sampleLocation({ country_code: 'NL', party_id: 'CPO' }, 'L1', {}, '2026-01-01T10:00:00Z')
const evse = present(stored.evses?.[0], 'the sample EVSE')
const dateTime = fc.oneof(
  fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom('2026-13-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-01-01T25:00:00Z', '2026-01-01T10:00:00', ''),
  fc.jsonValue(),
)
const fieldValue = fc.oneof(fc.jsonValue(), fc.string(), fc.constantFrom('L1', 'l1', 'NL', 'CPO', `${evse.uid}`, '1', 'AVAILABLE', 'CHARGING'))
const objectWith = (keys: string[]) => fc.dictionary(fc.constantFrom(...keys), fieldValue, { maxKeys: 6 }).chain((fields) =>
  dateTime.map((last_updated) => ({ ...fields, last_updated })))
const locationKeys = ['id', 'country_code', 'party_id', 'name', 'publish', 'address', 'evses', 'coordinates', 'opening_times', 'time_zone', 'parking_places', 'facilities']
const evseKeys = ['uid', 'evse_id', 'status', 'connectors', 'capabilities', 'floor_level', 'parking']
const connectorKeys = ['id', 'standard', 'format', 'power_type', 'max_voltage', 'max_amperage', 'tariff_ids']
const version = fc.constantFrom('2.2.1' as const, '2.3.0' as const)
const anyBody = (keys: string[]) => fc.oneof(objectWith(keys), fc.jsonValue())

function merged(run: () => ReturnType<typeof patchLocation>) {
  try {
    const location = run()
    if (location) expect(Date.parse(location.last_updated)).toBeGreaterThanOrEqual(Date.parse(stored.last_updated))
  } catch (error) {
    if (!(error instanceof OcpiError)) throw error
  }
}

describe('location merges', () => {
  it('PATCH Location', () => {
    fc.assert(fc.property(version, anyBody(locationKeys), (v, body) => merged(() => patchLocation(stored, fromWire(locationPatchVersions, v, body)))), { numRuns: 400 })
  })

  it('PATCH EVSE', () => {
    fc.assert(fc.property(version, anyBody(evseKeys), fc.constantFrom(evse.uid, 'UNKNOWN'), (v, body, uid) =>
      merged(() => patchEvse(stored, uid, fromWire(evsePatchVersions, v, body)))), { numRuns: 400 })
  })

  it('PATCH Connector', () => {
    fc.assert(fc.property(version, anyBody(connectorKeys), fc.constantFrom('1', '2'), (v, body, connectorId) =>
      merged(() => patchConnector(stored, evse.uid, connectorId, fromWire(connectorPatchVersions, v, body)))), { numRuns: 400 })
  })

  it('PUT EVSE and Connector', () => {
    fc.assert(fc.property(version, anyBody(evseKeys), anyBody(connectorKeys), (v, evseBody, connectorBody) => {
      merged(() => putEvse(stored, fromWire(evseVersions, v, { ...evse, ...(evseBody as object) })))
      merged(() => putConnector(stored, evse.uid, fromWire(connectorVersions, v, { ...present(evse.connectors[0], 'the connector'), ...(connectorBody as object) })))
    }), { numRuns: 400 })
  })
})
