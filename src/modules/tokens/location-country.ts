import { and, eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { locations, OWN_SOURCE } from '../../db/schema'
import type { PartyRef } from '../../ocpi/context'
import { alpha2OfAlpha3 } from '../../ocpi/countries'

/**
 * The alpha-2 country of a location the requesting CPO peer has sent us (received locations are stored under the
 * peer's id), or undefined when we never received it: real-time authorize may be asked for an unpublished, private
 * charger (mod_tokens, "Real-time authorization").
 */
export async function receivedLocationCountry(db: Database, peerId: string, cpoParties: readonly PartyRef[], location_id: string): Promise<string | undefined> {
  if (cpoParties.length === 0) return undefined
  const keys = cpoParties.map((party) => [party.country_code, party.party_id, location_id].map((part) => part.toUpperCase()).join('*'))
  const [row] = await db
    .select({ object: locations.object })
    .from(locations)
    .where(and(eq(locations.source, peerId), inArray(locations.key, keys)))
    .limit(1)
  return row ? alpha2OfAlpha3(row.object.country) : undefined
}

/** The alpha-2 country of one of a hosted CPO's own locations, where its charge point stands. */
export async function ownLocationCountry(db: Database, cpo: PartyRef, location_id: string): Promise<string | undefined> {
  const key = [cpo.country_code, cpo.party_id, location_id].map((part) => part.toUpperCase()).join('*')
  const [row] = await db.select({ object: locations.object }).from(locations).where(and(eq(locations.source, OWN_SOURCE), eq(locations.key, key))).limit(1)
  return row ? alpha2OfAlpha3(row.object.country) : undefined
}
