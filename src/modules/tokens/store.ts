import { and, count, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm'
import { runBatch } from '../../db/batch'
import type { Database } from '../../db/client'
import { retryOnConflict } from '../../db/conflict'
import { afterPosition, dateRange, pageOffset, pageOrder, pageFrom, runPage } from '../../db/paging'
import { tokens, type AccountStatus } from '../../db/schema'
import { ofSource, type RecordSource } from '../../db/token-records'
import type { PartyRef } from '../../ocpi/context'
import type { Page, PageQuery } from '../../ocpi/paging'
import { toEpochMs } from '../../ocpi/types'
import type { Token } from '../../ocpi/objects/token'

/** What identifies a token: its owner, uid and type (mod_tokens: "The combination of uid and type should be unique"). */
export interface TokenRef { country_code: string; party_id: string; uid: string; type: string }

export interface StoredToken {
  token: Token
  allowed_countries: string[] | null
  /** Own tokens only: set when a valid token is refused (account blocked, expired, out of credit). */
  account_status: AccountStatus | null
  /** Received tokens: the peer that holds the eMSP party and sent it. */
  peer_id: string | null
}

export interface TokenRules { allowed_countries?: string[] | null; account_status?: AccountStatus | null }

type TokenRow = typeof tokens.$inferSelect
/** Whose copy: a hosted eMSP's (`peer_id` null) or received from the peer holding the eMSP party. */
type Source = RecordSource

const paged = { last_updated: tokens.last_updated, key: tokens.key }
const storedColumns = { object: tokens.object, allowed_countries: tokens.allowed_countries, account_status: tokens.account_status, peer_id: tokens.peer_id, last_updated: tokens.last_updated, key: tokens.key }

// D1 binds at most 100 parameters per statement; a token row has 12 columns.
const ROWS_PER_INSERT = 8

/** CiStrings compare case-insensitively: every key column is stored upper-cased. */
export const tokenKey = (ref: TokenRef) => [ref.country_code, ref.party_id, ref.type, ref.uid].map((part) => part.toUpperCase()).join('*')

export const tokenRefOf = (token: Token): TokenRef => ({ country_code: token.country_code, party_id: token.party_id, uid: token.uid, type: token.type })

export const getOwnToken = (db: Database, ref: TokenRef) => getToken(db, 'own', ref)
export const getReceivedToken = (db: Database, ref: TokenRef) => getToken(db, 'received', ref)

/**
 * Stores a hosted eMSP's token as its owner wrote it, unless the stored one has a later last_updated (a copy a former
 * holder of the party sent is taken over whatever its date). Returns it with
 * the revision it committed (what its push is bound to, docs/push.md "Versions"), or undefined when it was older.
 */
export async function putOwnToken(db: Database, token: Token, rules: TokenRules = {}): Promise<(StoredToken & { revision: number }) | undefined> {
  const row = tokenRow('own', token, null, rules)
  const [written] = await db.insert(tokens).values({ ...row, revision: 1 })
    .onConflictDoUpdate({ target: tokens.key, set: { ...updatableColumns(row), revision: sql`${tokens.revision} + 1` }, setWhere: sql`${tokens.peer_id} IS NOT NULL OR excluded.last_updated >= ${tokens.last_updated}` })
    .returning({ revision: tokens.revision })
  return written && { ...toStored(row), revision: written.revision }
}

/**
 * Read, change, compare-and-swap on the revision read: an owner PATCH of a token never loses a concurrent one (D1 has
 * no interactive transactions). `change` returns the new token and rules; undefined: unknown token.
 */
export function updateOwnToken(db: Database, ref: TokenRef, change: (stored: StoredToken) => { token: Token; rules: TokenRules }) {
  return retryOnConflict<{ before: StoredToken; after: StoredToken & { revision: number } } | { before: undefined }>(`Token ${ref.type}`, async () => {
    const [stored] = await db.select({ ...storedColumns, revision: tokens.revision }).from(tokens).where(and(ofSource(tokens, 'own'), eq(tokens.key, tokenKey(ref)))).limit(1)
    if (!stored) return { before: undefined }
    const before = toStored(stored)
    const next = change(before)
    const row = tokenRow('own', next.token, null, next.rules)
    const written = await db.update(tokens).set({ ...updatableColumns(row), revision: stored.revision + 1 })
      .where(and(ofSource(tokens, 'own'), eq(tokens.key, tokenKey(ref)), eq(tokens.revision, stored.revision)))
      .returning({ key: tokens.key })
    return written.length > 0 ? { before, after: { ...toStored(row), revision: stored.revision + 1 } } : undefined
  })
}

/** Stores many tokens of hosted eMSPs (a page of a party taken over) in one round trip, each as putOwnToken would. */
export async function putOwnTokens(db: Database, owned: { token: Token; rules?: TokenRules }[]): Promise<void> {
  const rows = owned.map(({ token, rules }) => tokenRow('own', token, null, rules ?? {}))
  const statements = []
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    statements.push(db.insert(tokens).values(rows.slice(start, start + ROWS_PER_INSERT)).onConflictDoUpdate({ target: tokens.key, set: takenFromIncoming }))
  }
  await runBatch(db, statements)
}

/**
 * Caches a token received from an eMSP peer. An older version never overwrites a newer one (a delayed push or a slow
 * pull page), and a peer's copy never replaces an own token: returns false when the stored token is kept.
 */
export async function putReceivedToken(db: Database, peerId: string, token: Token, allowedCountries?: string[] | null): Promise<boolean> {
  const row = tokenRow('received', token, peerId, { allowed_countries: allowedCountries ?? null })
  const stored = await upsertNewerStatement(db, [row]).returning({ key: tokens.key })
  return stored.length > 0
}

/** Caches many received tokens (a pull page) in one round trip; returns how many were newer than what was cached. */
export async function putReceivedTokens(db: Database, peerId: string, received: { token: Token; allowed_countries?: string[] | null }[]): Promise<number> {
  if (received.length === 0) return 0
  const rows = received.map(({ token, allowed_countries }) => tokenRow('received', token, peerId, { allowed_countries: allowed_countries ?? null }))
  const statements = []
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    statements.push(upsertNewerStatement(db, rows.slice(start, start + ROWS_PER_INSERT)).returning({ key: tokens.key }))
  }
  const results = await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]])
  return results.reduce((stored, result) => stored + result.length, 0)
}

/**
 * Received tokens with this uid, newest first: what a charge point that read a card asks about. Of any owner unless
 * `owner` is given; filtered here, not after the limit, so a uid many eMSPs share never hides the owner's token.
 */
export async function findReceivedTokensByUid(db: Database, uid: string, type?: string, owner?: PartyRef): Promise<StoredToken[]> {
  const rows = await db
    .select(storedColumns)
    .from(tokens)
    .where(and(
      ofSource(tokens, 'received'),
      eq(tokens.uid, uid.toUpperCase()),
      type ? eq(tokens.type, type.toUpperCase()) : undefined,
      owner ? eq(tokens.country_code, owner.country_code.toUpperCase()) : undefined,
      owner ? eq(tokens.party_id, owner.party_id.toUpperCase()) : undefined,
    ))
    .orderBy(sql`${tokens.last_updated} DESC`)
    .limit(10)
  return rows.map(toStored)
}

export interface TokenListFilter {
  source: Source
  party?: PartyRef
  peerId?: string
  /** Only these token types (2.2.1 peers cannot be sent EMAID or custom types). */
  types?: readonly string[]
}

/** Date-paged (last_updated, key) list; the page's `last` feeds the keyset cursor. */
export async function listTokens(db: Database, filter: TokenListFilter, page: PageQuery): Promise<Page<StoredToken>> {
  const where = and(filterCondition(filter), dateRange(paged, page))
  const { rows, total } = await runPage(db, page, {
    rows: (at) => db.select(storedColumns).from(tokens).where(and(where, afterPosition(paged, at))).orderBy(...pageOrder(paged)).limit(at.limit).offset(pageOffset(at)),
    count: db.select({ total: count() }).from(tokens).where(where),
    scopes: ['tokens'],
  })
  return pageFrom(rows, total, toStored)
}

export const listOwnTokensOfParty = (db: Database, party: PartyRef, page: PageQuery, types?: readonly string[]) =>
  listTokens(db, { source: 'own', party, types }, page)
export const listReceivedTokensOfParty = (db: Database, party: PartyRef, page: PageQuery) => listTokens(db, { source: 'received', party }, page)
export const listReceivedTokensOfPeer = (db: Database, peerId: string, page: PageQuery) => listTokens(db, { source: 'received', peerId }, page)

/** Token migration: a party's tokens are now served by another peer (the new eMSP platform); returns how many moved. */
export async function moveReceivedTokensOfParty(db: Database, party: PartyRef, peerId: string): Promise<number> {
  const moved = await db
    .update(tokens)
    .set({ peer_id: peerId })
    .where(and(ofSource(tokens, 'received'), eq(tokens.country_code, party.country_code.toUpperCase()), eq(tokens.party_id, party.party_id.toUpperCase())))
    .returning({ key: tokens.key })
  return moved.length
}

/** Token migration, old platform: the party's own tokens are deleted once the new platform holds them (a statement, for the caller's batch). */
export const deleteOwnTokensOfParty = (db: Database, party: PartyRef) =>
  db.delete(tokens).where(and(ofSource(tokens, 'own'), eq(tokens.country_code, party.country_code.toUpperCase()), eq(tokens.party_id, party.party_id.toUpperCase())))

/** GDPR right to be forgotten: removes a token entirely; returns whether it was stored. */
export const eraseOwnToken = (db: Database, ref: TokenRef) => eraseToken(db, 'own', ref)
export const eraseReceivedToken = (db: Database, ref: TokenRef) => eraseToken(db, 'received', ref)

async function getToken(db: Database, source: Source, ref: TokenRef): Promise<StoredToken | undefined> {
  const [row] = await db.select(storedColumns).from(tokens).where(and(ofSource(tokens, source), eq(tokens.key, tokenKey(ref)))).limit(1)
  return row ? toStored(row) : undefined
}

async function eraseToken(db: Database, source: Source, ref: TokenRef): Promise<boolean> {
  const erased = await db.delete(tokens).where(and(ofSource(tokens, source), eq(tokens.key, tokenKey(ref)))).returning({ key: tokens.key })
  return erased.length > 0
}

function upsertNewerStatement(db: Database, rows: TokenRow[]) {
  return db
    .insert(tokens)
    .values(rows)
    .onConflictDoUpdate({
      target: tokens.key,
      set: {
        peer_id: sql`excluded.peer_id`,
        last_updated: sql`excluded.last_updated`,
        object: sql`excluded.object`,
        // The same version of a token may arrive twice (a hub and a direct connection, or a 2.2.1 and a 2.3.0 one):
        // a copy that cannot carry allowed_countries (2.2.1) does not erase what the other brought.
        allowed_countries: sql`CASE WHEN excluded.last_updated = ${tokens.last_updated} THEN coalesce(excluded.allowed_countries, ${tokens.allowed_countries}) ELSE excluded.allowed_countries END`,
        revision: sql`${tokens.revision} + 1`,
      },
      setWhere: and(isNotNull(tokens.peer_id), sql`excluded.last_updated >= ${tokens.last_updated}`),
    })
}

function filterCondition(filter: TokenListFilter): SQL | undefined {
  return and(
    ofSource(tokens, filter.source),
    filter.party ? eq(tokens.country_code, filter.party.country_code.toUpperCase()) : undefined,
    filter.party ? eq(tokens.party_id, filter.party.party_id.toUpperCase()) : undefined,
    filter.peerId ? eq(tokens.peer_id, filter.peerId) : undefined,
    filter.types ? inArray(tokens.type, [...filter.types]) : undefined,
  )
}

function tokenRow(source: Source, token: Token, peerId: string | null, rules: TokenRules): TokenRow {
  const ref = tokenRefOf(token)
  return {
    key: tokenKey(ref),
    country_code: ref.country_code.toUpperCase(),
    party_id: ref.party_id.toUpperCase(),
    uid: ref.uid.toUpperCase(),
    type: ref.type.toUpperCase(),
    peer_id: source === 'own' ? null : peerId,
    last_updated: toEpochMs(token.last_updated),
    object: token,
    allowed_countries: rules.allowed_countries?.map((country) => country.toUpperCase()) ?? null,
    account_status: rules.account_status ?? null,
    revision: 0,
  }
}

const updatableColumns = ({ key, revision, ...rest }: TokenRow) => rest

/** updatableColumns of a multi-row upsert: each row's own values (`excluded`). */
const takenFromIncoming = Object.fromEntries(
  [
    ...(['country_code', 'party_id', 'uid', 'type', 'peer_id', 'last_updated', 'object', 'allowed_countries', 'account_status'] as const).map((column) => [column, sql.raw(`excluded.${tokens[column].name}`)]),
    ['revision', sql`${tokens.revision} + 1`],
  ],
)

const toStored = (row: Pick<TokenRow, 'object' | 'allowed_countries' | 'account_status' | 'peer_id'>): StoredToken => ({
  token: row.object,
  allowed_countries: row.allowed_countries,
  account_status: row.account_status,
  peer_id: row.peer_id,
})
