import { and, eq, isNotNull } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { objectPage } from '../../db/paging'
import { bookingLocations } from '../../db/schema'
import type { PartyRef } from '../../ocpi/context'
import type { BookingLocation } from '../../ocpi/objects/booking'
import type { Page, PageQuery } from '../../ocpi/paging'
import { toEpochMs } from '../../ocpi/types'

const ofOwner = (owner: PartyRef) =>
  and(eq(bookingLocations.country_code, owner.country_code.toUpperCase()), eq(bookingLocations.party_id, owner.party_id.toUpperCase()))

/** A BookingLocation a peer CPO pushed, by its CPO and id (CiString: case-insensitive). */
export async function getReceivedBookingLocation(db: Database, owner: PartyRef, id: string): Promise<BookingLocation | undefined> {
  const row = await db.select({ object: bookingLocations.object }).from(bookingLocations)
    .where(and(isNotNull(bookingLocations.peer_id), ofOwner(owner), eq(bookingLocations.id, id.toUpperCase()))).get()
  return row?.object
}

/** Stores the BookingLocation `peerId` sent, replacing the previous state. */
export async function saveReceivedBookingLocation(db: Database, peerId: string, location: BookingLocation): Promise<void> {
  const row = {
    country_code: location.country_code.toUpperCase(), party_id: location.party_id.toUpperCase(), id: location.id.toUpperCase(),
    peer_id: peerId, object: location, last_updated: toEpochMs(location.last_updated),
    key: `${location.country_code}*${location.party_id}*${location.id}`.toUpperCase(),
  }
  const { country_code: _country, party_id: _party, id: _id, ...changes } = row
  await db.insert(bookingLocations).values(row)
    .onConflictDoUpdate({ target: [bookingLocations.country_code, bookingLocations.party_id, bookingLocations.id], set: changes }).run()
}

/** Received BookingLocations, date-paged, of one peer or of all. */
export function listReceivedBookingLocations(db: Database, peerId: string | undefined, page: PageQuery): Promise<Page<BookingLocation>> {
  return objectPage<BookingLocation>(db, bookingLocations, peerId ? eq(bookingLocations.peer_id, peerId) : isNotNull(bookingLocations.peer_id), page)
}
