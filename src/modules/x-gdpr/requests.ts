import type { Database } from '../../db/client'
import type { Env } from '../../env'
import { auditGdpr } from './audit'
import { EXPORT_TTL_MS, storeExport } from './export-store'
import { personalDataHolders } from './holder-list'
import type { GdprScope } from './holders'
import { pseudonymOf } from './pseudonym'
import type { GdprErasure, GdprExport, GdprSubject } from './schema'

/** Who asks: the authenticated peer, and the base URL its export can be fetched from again. */
export interface GdprRequester { peerId: string; request_id?: string; exportBaseUrl: string }

async function scopeOf(db: Database, env: Env, subject: GdprSubject): Promise<GdprScope> {
  const normalized = { ...subject, country_code: subject.country_code.toUpperCase(), party_id: subject.party_id.toUpperCase() }
  const scope: GdprScope = { db, env, subject: normalized, pseudonym: await pseudonymOf(env.GDPR_PSEUDONYM_KEY, normalized), identifiers: [normalized.uid] }
  for (const holder of personalDataHolders) if (holder.identifiers) scope.identifiers.push(...(await holder.identifiers(scope)))
  scope.identifiers = [...new Set(scope.identifiers.filter((identifier) => identifier.length > 0))]
  return scope
}

/**
 * Right of access (GDPR Art. 15): collects the token's records from every holder, keeps the export in R2 until it
 * expires, audits the request, and returns the export.
 */
export async function accessPersonalData(db: Database, env: Env, subject: GdprSubject, requester: GdprRequester, now = Date.now()): Promise<GdprExport> {
  const scope = await scopeOf(db, env, subject)
  const records: GdprExport['records'] = {}
  for (const holder of personalDataHolders) if (holder.collect && holder.name !== 'exports' && holder.name !== 'outbox') records[holder.name] = await holder.collect(scope)
  const export_id = crypto.randomUUID()
  const document: GdprExport = {
    export_id,
    ...(requester.request_id ? { request_id: requester.request_id } : {}),
    subject: scope.subject,
    created: new Date(now).toISOString(),
    expires: new Date(now + EXPORT_TTL_MS).toISOString(),
    url: `${requester.exportBaseUrl}/exports/${export_id}`,
    records,
  }
  await storeExport(db, env.BUNDLES, requester.peerId, scope.pseudonym, scope.subject, document)
  const counts = Object.fromEntries(Object.entries(records).map(([name, list]) => [name, list?.length ?? 0]))
  await auditGdpr(db, { actor: `peer:${requester.peerId}`, action: 'gdpr.access', pseudonym: scope.pseudonym, detail: { party: `${scope.subject.country_code}*${scope.subject.party_id}`, request_id: requester.request_id, export_id, outcome: 'EXPORTED', records: counts } })
  return document
}

/**
 * Right to be forgotten (GDPR Art. 17): every holder removes or pseudonymizes what it keeps about the token. CDRs stay
 * (Art. 17(3)(b): invoicing records must be kept) with the personal fields replaced by the pseudonym.
 */
export async function forgetPersonalData(db: Database, env: Env, subject: GdprSubject, requester: Omit<GdprRequester, 'exportBaseUrl'>, now = Date.now()): Promise<GdprErasure> {
  const scope = await scopeOf(db, env, subject)
  const erased: Record<string, number> = {}
  for (const holder of personalDataHolders) erased[holder.name] = await holder.erase(scope)
  await auditGdpr(db, { actor: `peer:${requester.peerId}`, action: 'gdpr.forget', pseudonym: scope.pseudonym, detail: { party: `${scope.subject.country_code}*${scope.subject.party_id}`, request_id: requester.request_id, outcome: 'ERASED', erased } })
  return {
    ...(requester.request_id ? { request_id: requester.request_id } : {}),
    subject: scope.subject,
    pseudonym: scope.pseudonym,
    completed: new Date(now).toISOString(),
    erased,
  }
}
