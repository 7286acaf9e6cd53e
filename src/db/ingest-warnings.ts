import { and, eq, sql } from 'drizzle-orm'
import type { IngestWarning } from '../ocpi/ingest'
import type { Database } from './client'
import { ingestWarnings } from './schema'

// The warnings kept beside received objects (src/ocpi/ingest.ts): every module's receivers write them through here,
// and every management view of an object reads them through here, so they never reach an OCPI answer.

export interface WarningsWrite { module: string; key: string; peerId: string; warnings: IngestWarning[] }

/** After a write of a received object: its warnings replaced by this write's, or removed when it was clean. */
export async function replaceIngestWarnings(db: Database, write: WarningsWrite): Promise<void> {
  await replaceIngestWarningsStatement(db, write)
}

/** replaceIngestWarnings as a statement, for the batch of the write itself. */
export function replaceIngestWarningsStatement(db: Database, { module, key, peerId, warnings }: WarningsWrite) {
  if (warnings.length === 0) return db.delete(ingestWarnings).where(and(eq(ingestWarnings.module, module), eq(ingestWarnings.object_key, key)))
  return db.insert(ingestWarnings).values({ module, object_key: key, peer_id: peerId, warnings })
    .onConflictDoUpdate({ target: [ingestWarnings.module, ingestWarnings.object_key], set: { peer_id: peerId, warnings } })
}

/** The objects with `warnings` added to those that have any (one query for a page, one bound parameter). */
export async function withIngestWarnings<T extends object>(db: Database, module: string, objects: readonly T[], keyOf: (object: T) => string): Promise<(T & { warnings?: IngestWarning[] })[]> {
  if (objects.length === 0) return []
  const keys = JSON.stringify([...new Set(objects.map(keyOf))])
  const rows = await db.select({ key: ingestWarnings.object_key, warnings: ingestWarnings.warnings }).from(ingestWarnings)
    .where(and(eq(ingestWarnings.module, module), sql`${ingestWarnings.object_key} IN (SELECT value FROM json_each(${keys}))`))
  const found = new Map(rows.map((row) => [row.key, row.warnings]))
  return objects.map((object) => {
    const warnings = found.get(keyOf(object))
    return warnings ? { ...object, warnings } : object
  })
}
