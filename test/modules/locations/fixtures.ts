import { adminFetch } from '../../ocpi/fixtures'
import type { Connector, EVSE, Location } from '../../../src/ocpi/objects/location'
import { uniquePartyId } from '../../party-ids'

export interface Party { country_code: string; party_id: string }

/** A party id no other test uses: three alphanumerics. */
export const uniqueParty = (country_code = 'NL'): Party => ({ country_code, party_id: uniquePartyId() })

export async function hostCpo(party: Party) {
  const response = await adminFetch('/parties', { method: 'POST', body: { ...party, role: 'CPO', business_details: { name: `CPO ${party.party_id}` } } })
  if (response.status !== 201) throw new Error(`hosting ${party.party_id}: ${response.status} ${await response.text()}`)
}

export function sampleLocation(party: Party, id: string, overrides: Partial<Location> = {}, last_updated = '2026-01-01T10:00:00Z'): Location {
  return {
    country_code: party.country_code, party_id: party.party_id, id, publish: true,
    address: 'Stationsplein 1', city: 'Amsterdam', postal_code: '1012 AB', country: 'NLD',
    coordinates: { latitude: '52.378901', longitude: '4.900272' }, time_zone: 'Europe/Amsterdam',
    evses: [sampleEvse(party, id, last_updated)],
    last_updated,
    ...overrides,
  }
}

/** The only EVSE of `sampleLocation(party, id)`. */
export function sampleEvse(party: Party, id: string, last_updated = '2026-01-01T10:00:00Z'): EVSE {
  return {
    uid: `${id}-E1`, evse_id: `${party.country_code}*${party.party_id}*E${id}*1`, status: 'AVAILABLE', last_updated,
    connectors: [sampleConnector(last_updated)],
  }
}

/** The only connector of `sampleEvse`. */
export const sampleConnector = (last_updated = '2026-01-01T10:00:00Z'): Connector =>
  ({ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, max_electric_power: 22000, last_updated })

export async function putOwn(location: Location) {
  const response = await adminFetch(`/locations/${location.country_code}/${location.party_id}/${location.id}`, { method: 'PUT', body: location })
  if (response.status >= 300) throw new Error(`PUT ${location.id}: ${response.status} ${await response.text()}`)
  return response.json<Location>()
}
