import { and, desc, eq, lt, or, sql } from 'drizzle-orm'
import type { Database } from './client'
import { auditLog } from './schema'

export type AuditLogEntry = typeof auditLog.$inferSelect

// Each identifier binds 7 parameters; D1 allows 100 per statement.
const IDENTIFIERS_PER_QUERY = 12

/**
 * Audit entries that name one of these identifiers (case-insensitively, as CiStrings compare): as a subject or as its
 * last segment ("token:DE*MSP*RFID*0102", "DE*MSP*0102", "0102"), or as a whole JSON string value in the detail, so a
 * short uid does not match inside unrelated text. At most 1000 per slice of identifiers.
 */
export async function auditEntriesMentioning(db: Database, identifiers: readonly string[]): Promise<AuditLogEntry[]> {
  const entries = new Map<number, AuditLogEntry>()
  for (let start = 0; start < identifiers.length; start += IDENTIFIERS_PER_QUERY) {
    const conditions = identifiers.slice(start, start + IDENTIFIERS_PER_QUERY).flatMap((identifier) => {
      const upper = identifier.toUpperCase()
      return [
        sql`upper(${auditLog.subject}) = ${upper}`,
        sql`substr(upper(${auditLog.subject}), ${-upper.length - 1}) IN (${`*${upper}`}, ${`:${upper}`}, ${`/${upper}`})`,
        sql`instr(upper(${auditLog.detail}), ${JSON.stringify(upper)}) > 0`,
        sql`instr(upper(${auditLog.detail}), ${`*${upper}"`}) > 0`,
      ]
    })
    for (const entry of await db.select().from(auditLog).where(or(...conditions)).limit(1000)) entries.set(entry.id, entry)
  }
  return [...entries.values()]
}

/** Replaces what an audit entry says about its subject; its action, actor and time stay. */
export async function rewriteAuditEntry(db: Database, id: number, text: Pick<AuditLogEntry, 'subject' | 'detail'>): Promise<void> {
  await db.update(auditLog).set(text).where(eq(auditLog.id, id))
}

/** The latest audit entries, newest first: all, or those of one action; `before` (an entry id) pages further back. */
export async function listAuditEntries(db: Database, options: { limit: number; action?: string; before?: number }): Promise<AuditLogEntry[]> {
  const conditions = [
    ...(options.action ? [eq(auditLog.action, options.action)] : []),
    ...(options.before !== undefined ? [lt(auditLog.id, options.before)] : []),
  ]
  return db.select().from(auditLog).where(conditions.length > 0 ? and(...conditions) : undefined).orderBy(desc(auditLog.id)).limit(options.limit)
}
