import type { Database } from '../../db/client'
import { auditEntry } from '../../db/batch'

export type GdprAuditAction = 'gdpr.access' | 'gdpr.forget' | 'gdpr.export.download' | 'gdpr.request.sent'

/**
 * One audit entry per GDPR request and outcome. The subject is the token's pseudonym, never its uid, so the audit trail
 * of a forgotten token stays complete without holding the identifier it forgot.
 */
export async function auditGdpr(db: Database, entry: { actor: string; action: GdprAuditAction; pseudonym: string; detail: Record<string, unknown> }) {
  await auditEntry(db, { actor: entry.actor, action: entry.action, subject: `gdpr:${entry.pseudonym}`, detail: entry.detail })
}
