import { and, count, eq, type SQL } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { afterPosition, dateRange, pageOffset, pageOrder } from '../../db/paging'
import { authorizations, type AuthorizationSide } from '../../db/schema'
import type { PartyRef } from '../../ocpi/context'
import type { Page, PageQuery } from '../../ocpi/paging'
import type { AuthorizationReason, AuthorizationSource } from './authorization-policy'
import { logError } from '../../ocpi/log'

/** One authorization decision, as recorded and as the management API and a GDPR export show it. */
export interface AuthorizationEntry {
  id: string
  at: string
  side: AuthorizationSide
  /** The hosted party that decided: the CPO asking, or the eMSP answering. */
  party: PartyRef
  /** The token's owner is unknown on the CPO side for a token neither cached nor named by its uid (EMAID). */
  token: { country_code: string | null; party_id: string | null; uid: string; type: string }
  location_id: string | null
  evse_uids: string[] | null
  allowed: boolean
  reason: AuthorizationReason
  source: AuthorizationSource
  authorization_reference: string | null
  peer_id: string | null
}

export type NewAuthorizationEntry = Omit<AuthorizationEntry, 'id' | 'at'>

export interface AuthorizationFilter {
  party?: PartyRef
  token_uid?: string
}

/** Which token a GDPR request is about: owner and uid, and the type when the request named one. */
export interface AuthorizationTokenRef { country_code: string; party_id: string; uid: string; type?: string }

type AuthorizationRow = typeof authorizations.$inferSelect

const paged = { last_updated: authorizations.at, key: authorizations.id }

/** A decision and when it was taken (it is written shortly after: authorization-log.ts). */
export interface TimedAuthorizationEntry { entry: NewAuthorizationEntry; at: number }

/**
 * Records decisions, in one round trip (D1 batch, one INSERT each: 16 bound parameters, under D1's 100 per statement).
 * The log must never cost the driver a charge: a failed write is reported and the decisions stand.
 */
export async function recordAuthorizations(db: Database, decisions: readonly TimedAuthorizationEntry[]): Promise<void> {
  if (decisions.length === 0) return
  try {
    const inserts = decisions.map(({ entry, at }) => db.insert(authorizations).values(toRow(entry, at)))
    await db.batch(inserts as [(typeof inserts)[number], ...(typeof inserts)[number][]])
  } catch (error) {
    logError(`tokens: recording ${decisions.length} authorization(s) failed`, error)
  }
}

/** The management list: oldest first, date-paged on (at, id) like every other list. */
export async function listAuthorizations(db: Database, filter: AuthorizationFilter, page: PageQuery): Promise<Page<AuthorizationEntry>> {
  const where = and(filterCondition(filter), dateRange(paged, page))
  const [rows, [counted]] = await db.batch([
    db.select().from(authorizations).where(and(where, afterPosition(paged, page))).orderBy(...pageOrder(paged)).limit(page.limit).offset(pageOffset(page)),
    db.select({ total: count() }).from(authorizations).where(where),
  ])
  const total = counted?.total ?? 0
  const last = rows.at(-1)
  return { objects: rows.map(toEntry), total, last: last ? { last_updated: last.at, key: last.id } : undefined }
}

/** Every decision about one driver's token, on either side (GDPR right of access). */
export async function listAuthorizationsOfToken(db: Database, token: AuthorizationTokenRef): Promise<AuthorizationEntry[]> {
  const rows = await db.select().from(authorizations).where(byToken(token)).orderBy(...pageOrder(paged))
  return rows.map(toEntry)
}

/**
 * GDPR right to be forgotten: the decisions stay (the audit trail of who charged where and when is the operator's
 * record) with the uid replaced by the pseudonym, like sessions and CDRs. Returns how many entries were rewritten.
 */
export async function pseudonymizeAuthorizationsOfToken(db: Database, token: AuthorizationTokenRef, pseudonym: string): Promise<number> {
  const rewritten = await db.update(authorizations).set({ token_uid: pseudonym.toUpperCase() }).where(byToken(token)).returning({ id: authorizations.id })
  return rewritten.length
}

function byToken(token: AuthorizationTokenRef): SQL | undefined {
  return and(
    eq(authorizations.token_uid, token.uid.toUpperCase()),
    eq(authorizations.token_country_code, token.country_code.toUpperCase()),
    eq(authorizations.token_party_id, token.party_id.toUpperCase()),
    token.type ? eq(authorizations.token_type, token.type.toUpperCase()) : undefined,
  )
}

function filterCondition(filter: AuthorizationFilter): SQL | undefined {
  return and(
    filter.party ? and(eq(authorizations.country_code, filter.party.country_code), eq(authorizations.party_id, filter.party.party_id)) : undefined,
    filter.token_uid ? eq(authorizations.token_uid, filter.token_uid.toUpperCase()) : undefined,
  )
}

function toRow(entry: NewAuthorizationEntry, now: number): AuthorizationRow {
  return {
    id: crypto.randomUUID(),
    at: now,
    side: entry.side,
    country_code: entry.party.country_code.toUpperCase(),
    party_id: entry.party.party_id.toUpperCase(),
    token_country_code: entry.token.country_code?.toUpperCase() ?? null,
    token_party_id: entry.token.party_id?.toUpperCase() ?? null,
    token_uid: entry.token.uid.toUpperCase(),
    token_type: entry.token.type.toUpperCase(),
    location_id: entry.location_id,
    evse_uids: entry.evse_uids,
    allowed: entry.allowed,
    reason: entry.reason,
    source: entry.source,
    authorization_reference: entry.authorization_reference,
    peer_id: entry.peer_id,
  }
}

const toEntry = (row: AuthorizationRow): AuthorizationEntry => ({
  id: row.id,
  at: new Date(row.at).toISOString(),
  side: row.side,
  party: { country_code: row.country_code, party_id: row.party_id },
  token: { country_code: row.token_country_code, party_id: row.token_party_id, uid: row.token_uid, type: row.token_type },
  location_id: row.location_id,
  evse_uids: row.evse_uids,
  allowed: row.allowed,
  reason: row.reason as AuthorizationReason,
  source: row.source as AuthorizationSource,
  authorization_reference: row.authorization_reference,
  peer_id: row.peer_id,
})
