import { and, eq, inArray, lt } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { gdprExports } from '../../db/schema'
import type { GdprExport, GdprSubject } from './schema'

/** How long a right-of-access export stays retrievable (GDPR Art. 12(3): answer within a month; keep no longer). */
export const EXPORT_TTL_MS = 30 * 24 * 3600 * 1000
const PREFIX = 'exports/gdpr/'

/** R2 key under the pseudonym: erasure finds every export of a token by prefix, and no key names a uid. */
const exportKey = (pseudonym: string, exportId: string) => `${PREFIX}${pseudonym}/${exportId}.json`

export async function storeExport(db: Database, bucket: R2Bucket, peerId: string, pseudonym: string, subject: GdprSubject, document: GdprExport) {
  const r2_key = exportKey(pseudonym, document.export_id)
  const expires_at = Date.parse(document.expires)
  await bucket.put(r2_key, JSON.stringify(document), {
    httpMetadata: { contentType: 'application/json' },
    customMetadata: { peer_id: peerId, expires_at: String(expires_at) },
  })
  await db.insert(gdprExports).values({
    id: document.export_id, peer_id: peerId, country_code: subject.country_code, party_id: subject.party_id, pseudonym, r2_key,
    created_at: Date.parse(document.created), expires_at,
  })
}

/** The export, only for the peer that asked for it and only until it expires. */
export async function readExport(db: Database, bucket: R2Bucket, peerId: string, exportId: string, now = Date.now()): Promise<GdprExport | undefined> {
  const [row] = await db.select().from(gdprExports).where(and(eq(gdprExports.id, exportId), eq(gdprExports.peer_id, peerId))).limit(1)
  if (!row || row.expires_at <= now) return undefined
  const object = await bucket.get(row.r2_key)
  return object ? await object.json<GdprExport>() : undefined
}

/** Right to be forgotten: every earlier export of the token goes, in R2 and in the index. */
export async function deleteExportsOf(db: Database, bucket: R2Bucket, pseudonym: string): Promise<number> {
  let deleted = 0
  let cursor: string | undefined
  do {
    // A listing page holds at most 1000 keys, as many as one delete() takes.
    const listing = await bucket.list({ prefix: `${PREFIX}${pseudonym}/`, cursor })
    if (listing.objects.length > 0) await bucket.delete(listing.objects.map((object) => object.key))
    deleted += listing.objects.length
    cursor = listing.truncated ? listing.cursor : undefined
  } while (cursor)
  await db.delete(gdprExports).where(eq(gdprExports.pseudonym, pseudonym))
  return deleted
}

/** Cron: exports past their expiry are deleted, not merely hidden. */
export async function deleteExpiredExports(db: Database, bucket: R2Bucket, now = Date.now()): Promise<number> {
  let deleted = 0
  for (;;) {
    // 90 per round: D1 binds at most 100 parameters per statement.
    const expired = await db.select({ id: gdprExports.id, r2_key: gdprExports.r2_key }).from(gdprExports).where(lt(gdprExports.expires_at, now)).limit(90)
    if (expired.length === 0) return deleted
    await bucket.delete(expired.map((row) => row.r2_key))
    await db.delete(gdprExports).where(inArray(gdprExports.id, expired.map((row) => row.id)))
    deleted += expired.length
  }
}
