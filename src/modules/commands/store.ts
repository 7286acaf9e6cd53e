import { and, eq, lte } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { objectPage } from '../../db/paging'
import { commands, reservations, type CommandSummary } from '../../db/schema'
import type { PartyRef } from '../../ocpi/context'
import type { Page, PageQuery } from '../../ocpi/paging'

export type { CommandSummary }

/** Writes the listed summary of a command, as its tracker changes it. */
export async function putCommandSummary(db: Database, summary: CommandSummary): Promise<void> {
  const row = {
    key: summary.id, side: summary.side, peer_id: summary.peer_id, command: summary.command, state: summary.state,
    created_at: Date.parse(summary.created_at), last_updated: Date.parse(summary.last_updated), object: summary,
  }
  await db.insert(commands).values(row).onConflictDoUpdate({ target: commands.key, set: { state: row.state, last_updated: row.last_updated, object: row.object } })
}

export const listCommands = (db: Database, page: PageQuery): Promise<Page<CommandSummary>> => objectPage<CommandSummary>(db, commands, undefined, page)

export interface Reservation {
  key: string
  cpo: PartyRef
  location_id: string
  evse_uid: string
  token_uid: string
  expires_at: number
}

/** One reservation per CPO, eMSP peer and reservation_id: a RESERVE_NOW with the same id replaces it (ReserveNow object). */
export const reservationKey = (cpo: PartyRef, peerId: string, reservationId: string) =>
  [cpo.country_code, cpo.party_id, peerId, reservationId].join('*').toUpperCase()

export async function putReservation(db: Database, reservation: Reservation): Promise<void> {
  const row = {
    key: reservation.key, cpo_country_code: reservation.cpo.country_code.toUpperCase(), cpo_party_id: reservation.cpo.party_id.toUpperCase(),
    location_id: reservation.location_id, evse_uid: reservation.evse_uid, token_uid: reservation.token_uid, expires_at: reservation.expires_at,
  }
  await db.insert(reservations).values(row).onConflictDoUpdate({ target: reservations.key, set: row })
}

export async function getReservation(db: Database, key: string): Promise<Reservation | undefined> {
  const [row] = await db.select().from(reservations).where(eq(reservations.key, key))
  return row && toReservation(row)
}

/** The unexpired reservations held at one EVSE. */
export async function reservationsAtEvse(db: Database, cpo: PartyRef, locationId: string, evseUid: string, now = Date.now()): Promise<Reservation[]> {
  const rows = await db.select().from(reservations).where(and(
    eq(reservations.cpo_country_code, cpo.country_code.toUpperCase()), eq(reservations.cpo_party_id, cpo.party_id.toUpperCase()),
    eq(reservations.location_id, locationId), eq(reservations.evse_uid, evseUid),
  ))
  return rows.map(toReservation).filter((reservation) => reservation.expires_at > now)
}

/** Deletes a reservation; true when it existed (and, with `expiredBy`, had expired by then). */
export async function deleteReservation(db: Database, key: string, expiredBy?: number): Promise<boolean> {
  const deleted = await db.delete(reservations)
    .where(and(eq(reservations.key, key), expiredBy === undefined ? undefined : lte(reservations.expires_at, expiredBy)))
    .returning({ key: reservations.key })
  return deleted.length > 0
}

function toReservation(row: typeof reservations.$inferSelect): Reservation {
  return {
    key: row.key, cpo: { country_code: row.cpo_country_code, party_id: row.cpo_party_id }, location_id: row.location_id,
    evse_uid: row.evse_uid, token_uid: row.token_uid, expires_at: row.expires_at,
  }
}
