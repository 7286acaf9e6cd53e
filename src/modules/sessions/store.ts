import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import { runBatch } from '../../db/batch'
import type { Database } from '../../db/client'
import { sessions } from '../../db/schema'
import { byRecordKey, byToken, listRecords, ofSource, recordKey, sourceOf, tokenRecordRow, type RecordListFilter, type RecordRef, type RecordSource, type TokenRef } from '../../db/token-records'
import type { PartyRef } from '../../ocpi/context'
import type { Page, PageQuery } from '../../ocpi/paging'
import { retryOnConflict } from '../../db/conflict'
import { assertStorable, SESSION_MAX_BYTES } from '../../db/limits'
import type { ChargingPreferences, Session, SessionPatch, SessionStatus } from '../../ocpi/objects/session'
import { initialPeriodVersions, mergeSessionWrite, type PeriodVersions } from './merge'
import type { PartyView } from '../../ocpi/objects/sharing-policy'
import { ownLocationVisibleTo } from '../locations/store'

export type { RecordRef as SessionRef, RecordSource as SessionSource, TokenRef } from '../../db/token-records'

export interface StoredSession {
  source: RecordSource
  session: Session
  /** Received sessions: the peer that last sent it. */
  peer_id: string | null
  revision: number
  /** Per charging period start, the last_updated of the write that set it (mergeSessionWrite). */
  period_versions: PeriodVersions
}

/**
 * What a write did: stored (`revision` is the one it committed, what its pushes are bound to), or kept the stored
 * session because it was newer and the write brought no charging period it lacked.
 */
export type SessionWrite = { outcome: 'stored'; session: Session; created: boolean; revision: number } | { outcome: 'stale'; session: Session } | { outcome: 'unknown' }

type SessionRow = typeof sessions.$inferInsert

const storedColumns = { object: sessions.object, peer_id: sessions.peer_id, revision: sessions.revision, period_versions: sessions.period_versions }

/** Sessions that can still change, and so still get PATCHes and a CDR (mod_sessions SessionStatus). */
const UNFINISHED: SessionStatus[] = ['PENDING', 'RESERVATION', 'ACTIVE']
const FINISHED: SessionStatus[] = ['COMPLETED', 'INVALID']


export async function getSession(db: Database, source: RecordSource, ref: RecordRef): Promise<StoredSession | undefined> {
  const [row] = await db.select(storedColumns).from(sessions).where(byRecordKey(sessions, source, ref)).limit(1)
  return row ? toStored(row) : undefined
}

export const getOwnSession = (db: Database, ref: RecordRef) => getSession(db, 'own', ref)
export const getReceivedSession = (db: Database, ref: RecordRef) => getSession(db, 'received', ref)

/**
 * Stores a whole session (PUT semantics: its scalar fields replace the stored ones when it is at least as new). Its
 * charging periods are merged with the stored ones like a PATCH's (mergeSessionWrite), so a newer PUT never drops a
 * period an older write brought, and the outcome does not depend on arrival order.
 * `peerId`: the peer it was received from; omitted for own sessions.
 */
export async function putSession(db: Database, source: RecordSource, session: Session, peerId: string | null = null): Promise<SessionWrite> {
  const row = sessionRow(source, session, peerId, 1, initialPeriodVersions(session))
  const created = await db.insert(sessions).values(row).onConflictDoNothing().returning({ revision: sessions.revision })
  if (created.length > 0) return { outcome: 'stored', session, created: true, revision: 1 }
  return mergeIntoSession(db, source, session, session, peerId, true)
}

export const putOwnSession = (db: Database, session: Session) => putSession(db, 'own', session)
export const putReceivedSession = (db: Database, peerId: string, session: Session) => putSession(db, 'received', session, peerId)

/**
 * Applies a PATCH (mod_sessions: absent fields unchanged, charging_periods added) to a stored session, under the merge
 * rule of mergeSessionWrite. An unknown session is reported, not created.
 */
export function patchSession(db: Database, source: RecordSource, ref: RecordRef, patch: SessionPatch, peerId: string | null = null): Promise<SessionWrite> {
  return mergeIntoSession(db, source, ref, patch, peerId)
}

/**
 * Read, merge, compare-and-swap on the revision read (D1 has no interactive transactions), read again when another
 * write landed in between: concurrent writes of one session never lose a charging period.
 */
function mergeIntoSession(db: Database, source: RecordSource, ref: RecordRef, write: SessionPatch, peerId: string | null, replace = false): Promise<SessionWrite> {
  return retryOnConflict<SessionWrite>(`Session ${recordKey(ref)}`, async () => {
    const stored = await getSession(db, source, ref)
    if (!stored) return { outcome: 'unknown' }
    const merged = mergeSessionWrite(stored.session, stored.period_versions, write, replace)
    if (!merged) return { outcome: 'stale', session: stored.session }
    const { session, periodVersions } = merged
    const row = sessionRow(source, session, peerId ?? stored.peer_id, stored.revision + 1, periodVersions)
    const written = await db
      .update(sessions)
      .set(updatableColumns(row))
      .where(and(byRecordKey(sessions, source, ref), eq(sessions.revision, stored.revision)))
      .returning({ key: sessions.key })
    return written.length > 0 ? { outcome: 'stored', session, created: false, revision: stored.revision + 1 } : undefined
  })
}

/** An own session by id under any of these CPO parties (the Sender PUT charging_preferences URL carries only the id). */
export async function findOwnSession(db: Database, owners: PartyRef[], id: string): Promise<StoredSession | undefined> {
  if (owners.length === 0) return undefined
  const keys = owners.map((owner) => recordKey({ ...owner, id }))
  const [row] = await db.select(storedColumns).from(sessions).where(and(ofSource(sessions, 'own'), inArray(sessions.key, keys))).limit(1)
  return row ? toStored(row) : undefined
}

/** Records the driver's Charging Preferences on an own session; the session itself (and its last_updated) is unchanged. */
export async function setChargingPreferences(db: Database, ref: RecordRef, preferences: ChargingPreferences): Promise<void> {
  await db.update(sessions).set({ charging_preferences: preferences }).where(byRecordKey(sessions, 'own', ref))
}

export interface SessionListFilter extends RecordListFilter {
  /** Only sessions at an own location these party views let a peer see (the CPO's sharing policy). */
  locationsVisibleTo?: readonly PartyView[]
}

/** Date-paged (last_updated, key) list of canonical sessions. */
export const listSessions = (db: Database, filter: SessionListFilter, page: PageQuery): Promise<Page<Session>> =>
  listRecords<Session>(db, sessions, sessions, filter, page, filter.locationsVisibleTo && ownLocationVisibleTo(sessionLocationKey, filter.locationsVisibleTo))

/** The location key (locations store, `locationKey`) of a session row: its CPO and its `location_id`. */
const sessionLocationKey = sql`upper(${sessions.country_code} || '*' || ${sessions.party_id} || '*' || json_extract(${sessions.object}, '$.location_id'))`

/**
 * Sessions that can still change, own and received, newest first (at most `limit`), followed by the `finished` latest
 * finished ones (COMPLETED, INVALID). Each status is read newest first along sessions_by_status_last_updated.
 */
export async function listLiveSessions(db: Database, options: { limit: number; finished?: number }): Promise<StoredSession[]> {
  const latest = (statuses: SessionStatus[], limit: number) =>
    db.select(storedColumns).from(sessions).where(inArray(sessions.status, statuses)).orderBy(desc(sessions.last_updated)).limit(limit)
  const finished = options.finished ?? 0
  const [live, ...done] = await Promise.all([
    latest(UNFINISHED, options.limit),
    ...(finished > 0 ? FINISHED.map((status) => latest([status], finished)) : []),
  ])
  const newestFirst = (rows: typeof live) => rows.sort((a, b) => Date.parse(b.object.last_updated) - Date.parse(a.object.last_updated))
  return [...newestFirst(live!), ...newestFirst(done.flat()).slice(0, finished)].map(toStored)
}

/** Every session (own and received, any status) started with this token: GDPR right of access, token migration. */
export async function listSessionsOfToken(db: Database, token: TokenRef, source?: RecordSource): Promise<StoredSession[]> {
  const rows = await db.select(storedColumns).from(sessions).where(byToken(sessions, token, source)).orderBy(sessions.last_updated, sessions.key)
  return rows.map(toStored)
}

/** Own sessions that can still change, of the drivers of this token party: token migration re-sends them to its new platform. */
export async function listUnfinishedOwnSessionsOfTokenParty(db: Database, party: PartyRef): Promise<Session[]> {
  const rows = await db
    .select({ object: sessions.object })
    .from(sessions)
    .where(and(
      ofSource(sessions, 'own'),
      eq(sessions.token_country_code, party.country_code.toUpperCase()),
      eq(sessions.token_party_id, party.party_id.toUpperCase()),
      inArray(sessions.status, UNFINISHED),
    ))
  return rows.map((row) => row.object)
}

/**
 * GDPR right to be forgotten: replaces the token's uid and contract_id in every session started with it (own and
 * received) by `pseudonym`, so the sessions stay countable and billable but no longer point at the driver. Returns how
 * many sessions were rewritten. last_updated is left as it was: this is erasure, not an update to push to peers.
 */
export async function pseudonymizeSessionsOfToken(db: Database, token: TokenRef, pseudonym: string): Promise<number> {
  const found = await listSessionsOfToken(db, token)
  if (found.length === 0) return 0
  const statements = found.map((stored) => {
    const session: Session = { ...stored.session, cdr_token: { ...stored.session.cdr_token, uid: pseudonym, contract_id: pseudonym } }
    return db
      .update(sessions)
      .set({ object: session, token_uid: pseudonym.toUpperCase(), revision: sql`${sessions.revision} + 1` })
      .where(byRecordKey(sessions, stored.source, session))
  })
  await runBatch(db, statements)
  return found.length
}

function sessionRow(source: RecordSource, session: Session, peerId: string | null, revision: number, periodVersions: PeriodVersions): SessionRow {
  assertStorable(`Session ${session.id}`, session, SESSION_MAX_BYTES, session.charging_periods?.length ? 'charging_periods' : '')
  return { ...tokenRecordRow(source, session, peerId), status: session.status, revision, object: session, period_versions: periodVersions }
}

function updatableColumns({ key, ...columns }: SessionRow) {
  return columns
}

const toStored = (row: Pick<typeof sessions.$inferSelect, 'object' | 'peer_id' | 'revision' | 'period_versions'>): StoredSession => ({
  source: sourceOf(row),
  session: row.object,
  peer_id: row.peer_id,
  revision: row.revision,
  period_versions: row.period_versions,
})
