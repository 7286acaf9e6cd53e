import type { Database } from '../../db/client'
import type { Location } from '../../ocpi/objects/location'
import type { Session } from '../../ocpi/objects/session'
import { getLocation, OWN_SOURCE } from '../locations/store'

// A 2.1.1 Session embeds its whole Location (mod_sessions.md 3.1), where later versions refer to it by id: the sender
// and the push read the stored own Location of each session to embed it (sessionTo211).

type SessionPlace = Pick<Session, 'country_code' | 'party_id' | 'location_id'>

export const locationKey = (session: SessionPlace) => `${session.country_code.toUpperCase()}/${session.party_id.toUpperCase()}/${session.location_id}`

/** The stored own Location of a session, if there is one. */
export async function storedLocationOf(db: Database, session: SessionPlace): Promise<Location | undefined> {
  return (await getLocation(db, OWN_SOURCE, session, session.location_id))?.location
}

/** The stored own Locations of these sessions, by locationKey, each read once. */
export async function storedLocationsOf(db: Database, sessions: readonly SessionPlace[]): Promise<Map<string, Location>> {
  const found = new Map<string, Location>()
  const unique = new Map(sessions.map((session) => [locationKey(session), session]))
  for (const [key, session] of unique) {
    const location = await storedLocationOf(db, session)
    if (location) found.set(key, location)
  }
  return found
}
