import { eq } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { returnedRow } from '../../db/rows'
import { gdprRequests, type GdprRequestKind, type GdprRequestStatus } from '../../db/schema'
import type { GdprSubject } from './schema'

export type GdprRequestRow = typeof gdprRequests.$inferSelect

export async function createGdprRequest(db: Database, peerId: string, kind: GdprRequestKind, subject: GdprSubject, now = Date.now()): Promise<GdprRequestRow> {
  const id = crypto.randomUUID()
  const rows = await db
    .insert(gdprRequests)
    .values({ id, peer_id: peerId, kind, country_code: subject.country_code, party_id: subject.party_id, uid: subject.uid, token_type: subject.type ?? null, status: 'PENDING', created_at: now })
    .returning()
  return returnedRow(rows, `GDPR request ${id}`)
}

export async function completeGdprRequest(db: Database, id: string, outcome: { status: GdprRequestStatus; status_code?: number; status_message?: string; result?: unknown }, now = Date.now()) {
  const rows = await db
    .update(gdprRequests)
    .set({ status: outcome.status, status_code: outcome.status_code ?? null, status_message: outcome.status_message ?? null, result: outcome.result ?? null, completed_at: now })
    .where(eq(gdprRequests.id, id))
    .returning()
  return returnedRow(rows, `GDPR request ${id}`)
}

export async function getGdprRequest(db: Database, id: string): Promise<GdprRequestRow | undefined> {
  const [row] = await db.select().from(gdprRequests).where(eq(gdprRequests.id, id)).limit(1)
  return row
}
