// Location rows for the paging benchmark, in the `locations` table of migrations/0020_locations.sql, built as
// src/modules/locations/store.ts builds them (rowOf): the store's own key function and version adapters produce the
// key and the precomputed per-version JSON, so a seeded row is indistinguishable from one written through the API.
import { columnsOf, insertRows } from '../lib/d1-file.mjs'
import { importAppCode } from './app-code.mjs'
import { generateLocation } from './location-generator.mjs'

export const LOCATION_COLUMNS = ['key', 'peer_id', 'country_code', 'party_id', 'id', 'publish', 'last_updated', 'revision', 'object', 'json_230', 'json_221']

/** Files whose content decides the seeded rows (part of the state cache key). */
export const LOCATION_SEED_FILES = [
  'bench/seed/locations.mjs', 'bench/seed/location-generator.mjs',
  'src/modules/locations/store.ts', 'src/ocpi/objects/location.ts', 'src/ocpi/objects/version-maps.ts', 'src/ocpi/version-adapters.ts', 'src/ocpi/types.ts',
]

export async function seedLocations(db, { count, countryCode, partyId, baseTime }) {
  const columns = columnsOf(db, 'locations')
  if (columns.join() !== LOCATION_COLUMNS.join()) throw new Error(`locations table changed: ${columns.join()} (the bench seeder writes ${LOCATION_COLUMNS.join()})`)
  const app = await importAppCode('locations', {
    'src/modules/locations/store': ['locationKey'],
    'src/ocpi/objects/location': ['Location'],
    'src/ocpi/objects/version-maps': ['locationVersions'],
    'src/ocpi/version-adapters': ['toWire'],
    'src/ocpi/types': ['toEpochMs'],
  })
  const options = { count, countryCode, partyId, baseTime }
  // The generator must produce what the platform itself accepts: check a sample against the module's schema.
  for (const index of [0, 1, 4, count - 1]) app.Location.parse(generateLocation(index, options))
  function* rows() {
    for (let index = 0; index < count; index++) {
      const location = generateLocation(index, options)
      yield {
        key: app.locationKey(location, location.id),
        peer_id: null,
        country_code: location.country_code.toUpperCase(),
        party_id: location.party_id.toUpperCase(),
        id: location.id,
        publish: location.publish ? 1 : 0,
        last_updated: app.toEpochMs(location.last_updated),
        revision: 1,
        object: JSON.stringify(location),
        json_230: JSON.stringify(app.toWire(app.locationVersions, '2.3.0', location)),
        json_221: JSON.stringify(app.toWire(app.locationVersions, '2.2.1', location)),
      }
    }
  }
  return insertRows(db, 'locations', rows())
}
