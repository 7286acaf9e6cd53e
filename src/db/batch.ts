import type { BatchItem } from 'drizzle-orm/batch'
import type { Database } from './client'
import { auditLog } from './schema'

/**
 * Runs statements as one D1 batch: one round trip, applied all or nothing (D1 has no interactive transactions), so a
 * failure never leaves half a change stored.
 */
export async function runBatch(db: Database, statements: readonly BatchItem<'sqlite'>[]): Promise<void> {
  if (statements.length === 0) return
  await db.batch(statements as unknown as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]])
}

/** An audit_log row, to put in the same batch as the change it records. */
export function auditEntry(db: Database, entry: { actor: string; action: string; subject?: string; detail?: Record<string, unknown> }, now = Date.now()) {
  return db.insert(auditLog).values({ at: now, actor: entry.actor, action: entry.action, subject: entry.subject, detail: entry.detail })
}
