import { and, desc, eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { returnedRow } from '../../db/rows'
import { partyMigrations, partyMoves, type PartyMigrationDirection, type PartyMigrationStatus } from '../../db/schema'
import type { PartyRef } from '../../ocpi/context'

export type PartyMigration = typeof partyMigrations.$inferSelect
export type PartyMoveRow = typeof partyMoves.$inferSelect

export async function createMigration(db: Database, migration: Omit<PartyMigration, 'id' | 'created_at' | 'updated_at' | 'detail' | 'last_error' | 'tokens'> & Partial<PartyMigration>, now = Date.now()) {
  const id = crypto.randomUUID()
  return returnedRow(await db.insert(partyMigrations).values({ id, created_at: now, updated_at: now, ...migration }).returning(), `migration ${id}`)
}

export async function updateMigration(db: Database, id: string, changes: Partial<Pick<PartyMigration, 'status' | 'tokens' | 'detail' | 'last_error' | 'business_details'>>, now = Date.now()) {
  return returnedRow(await db.update(partyMigrations).set({ ...changes, updated_at: now }).where(eq(partyMigrations.id, id)).returning(), `migration ${id}`)
}

export async function getMigration(db: Database, id: string): Promise<PartyMigration | undefined> {
  const [row] = await db.select().from(partyMigrations).where(eq(partyMigrations.id, id)).limit(1)
  return row
}

/** The latest migration of the party in one direction and one of these statuses. */
export async function findMigration(db: Database, party: PartyRef, direction: PartyMigrationDirection, statuses: PartyMigrationStatus[]): Promise<PartyMigration | undefined> {
  const [row] = await db
    .select()
    .from(partyMigrations)
    .where(and(eq(partyMigrations.country_code, party.country_code.toUpperCase()), eq(partyMigrations.party_id, party.party_id.toUpperCase()), eq(partyMigrations.direction, direction), inArray(partyMigrations.status, statuses)))
    .orderBy(desc(partyMigrations.created_at))
    .limit(1)
  return row
}

export async function recordPartyMove(db: Database, move: PartyMoveRow) {
  await db.insert(partyMoves).values(move).onConflictDoUpdate({
    target: [partyMoves.country_code, partyMoves.party_id, partyMoves.role],
    set: { from_peer_ids: move.from_peer_ids, to_peer_id: move.to_peer_id, moved_at: move.moved_at, received_at: move.received_at },
  })
}

export async function listPartyMoves(db: Database): Promise<PartyMoveRow[]> {
  return db.select().from(partyMoves).orderBy(desc(partyMoves.received_at)).limit(1000)
}
