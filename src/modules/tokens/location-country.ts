import type { Database } from '../../db/client'
import type { PartyRef } from '../../ocpi/context'
import { alpha2OfAlpha3 } from '../../ocpi/countries'
import { getLocation, getLocationsByKeys, locationKey, OWN_SOURCE } from '../locations/store'

// Where a charge point stands, for the country restriction of tokens (docs/tokens.md). A Location names its country in
// ISO 3166 alpha-3 (Location.country); tokens are limited by alpha-2 codes, as OCPI names parties' countries.

/**
 * The country of a location the requesting CPO peer has sent us (received locations are stored under the peer's id),
 * or undefined when we never received it: real-time authorize may be asked for an unpublished, private charger
 * (mod_tokens, "Real-time authorization").
 */
export async function receivedLocationCountry(db: Database, peerId: string, cpoParties: readonly PartyRef[], location_id: string): Promise<string | undefined> {
  if (cpoParties.length === 0) return undefined
  const [location] = await getLocationsByKeys(db, peerId, cpoParties.map((party) => locationKey(party, location_id)))
  return location ? alpha2OfAlpha3(location.country) : undefined
}

/** The country of one of a hosted CPO's own locations. */
export async function ownLocationCountry(db: Database, cpo: PartyRef, location_id: string): Promise<string | undefined> {
  const stored = await getLocation(db, OWN_SOURCE, cpo, location_id)
  return stored ? alpha2OfAlpha3(stored.location.country) : undefined
}
