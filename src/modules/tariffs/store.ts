import { and, count, eq, inArray, isNotNull, isNull, lte, max, sql, type SQL } from 'drizzle-orm'
import { runBatch } from '../../db/batch'
import type { Database } from '../../db/client'
import { objectPage, pageOrder } from '../../db/paging'
import { tariffPeerSettings, tariffs } from '../../db/schema'
import type { PartyRef } from '../../ocpi/context'
import type { Page, PageQuery } from '../../ocpi/paging'
import { toEpochMs } from '../../ocpi/types'
import { isIsoCurrency } from './currencies'
import type { Tariff } from '../../ocpi/objects/tariff'
import type { PartyView } from '../../ocpi/objects/sharing-policy'
import { ownLocationsReferenceTariff } from '../locations/store'

export type TariffRow = typeof tariffs.$inferSelect
const paged = { last_updated: tariffs.last_updated, key: tariffs.key }

/** `CC*PID*ID` upper-cased: CiString ids are case-insensitive, so `t1` and `T1` are one tariff. */
export const tariffKey = (party: PartyRef, id: string) => `${party.country_code}*${party.party_id}*${id}`.toUpperCase()

function rowOf(tariff: Tariff, peerId: string | null, groupId: string | null): TariffRow {
  return {
    key: tariffKey(tariff, tariff.id),
    country_code: tariff.country_code.toUpperCase(),
    party_id: tariff.party_id.toUpperCase(),
    id: tariff.id,
    peer_id: peerId,
    tariff_group_id: groupId,
    iso_currency: isIsoCurrency(tariff.currency),
    last_updated: toEpochMs(tariff.last_updated),
    object: tariff,
  }
}

export interface TariffListFilter {
  /** Only this owner party. */
  party?: PartyRef
  /** Received from this peer (source=received); own tariffs when absent. */
  peerId?: string
  source: 'own' | 'received'
  /** Serve tariffs in non-ISO currencies too (the peer opted in, or an operator reads). */
  includeNonIso: boolean
  /** Only the own tariffs a peer with these party views may see (visibility.ts); an operator reads them all. */
  visibleTo?: readonly PartyView[]
}

/** One page in (last_updated, key) order and the total matching the filter, in one round trip. */
export async function listTariffs(db: Database, page: PageQuery, filter: TariffListFilter): Promise<Page<Tariff>> {
  const where = and(
    filter.source === 'own' ? isNull(tariffs.peer_id) : filter.peerId ? eq(tariffs.peer_id, filter.peerId) : isNotNull(tariffs.peer_id),
    filter.party ? eq(tariffs.country_code, filter.party.country_code.toUpperCase()) : undefined,
    filter.party ? eq(tariffs.party_id, filter.party.party_id.toUpperCase()) : undefined,
    filter.includeNonIso ? undefined : eq(tariffs.iso_currency, true),
    filter.visibleTo && visibleUnder(filter.visibleTo, storedTariffKeys),
  )
  return objectPage<Tariff>(db, tariffs, where, page, filter.visibleTo ? ['tariffs', 'locations'] : ['tariffs'])
}

// Who sees which own tariff (docs/tariffs.md, "Who sees which tariff"): a tariff follows the locations that use it.
// Referenced by no own location: visible to every peer; referenced by a location the peer may see: visible; otherwise
// hidden. A currency variant (`{id}~{currency}`) counts the references of its base tariff as its own, so each tariff
// is looked up under its own key and its group's.

const storedTariffKeys = {
  tariffKey: sql`${tariffs.key}`,
  groupKey: sql`${tariffs.country_code} || '*' || ${tariffs.party_id} || '*' || upper(coalesce(${tariffs.tariff_group_id}, ${tariffs.id}))`,
}

type TariffKeys = Parameters<typeof ownLocationsReferenceTariff>[0]

const visibleUnder = (views: readonly PartyView[], keys: TariffKeys): SQL =>
  sql`(NOT ${ownLocationsReferenceTariff(keys)} OR ${ownLocationsReferenceTariff(keys, views)})`

export interface TariffIds { country_code: string; party_id: string; id: string; tariff_group_id?: string | null }

/**
 * Whether a peer with these party views may see one own tariff, stored or just deleted (a DELETE goes only to peers
 * that could see it): the rule of the lists, evaluated on the tariff's keys rather than on its row.
 */
export async function ownTariffVisible(db: Database, views: readonly PartyView[], tariff: TariffIds): Promise<boolean> {
  const party = { country_code: tariff.country_code, party_id: tariff.party_id }
  const keys = { tariffKey: tariffKey(party, tariff.id), groupKey: tariffKey(party, tariff.tariff_group_id ?? tariff.id) }
  const row = await db.get<{ visible: number }>(sql`SELECT ${visibleUnder(views, keys)} AS visible`)
  return row.visible === 1
}

/** A party's own tariffs whose visibility differs between two sets of views, each with whether `after` shows it. */
export async function ownTariffsChangingVisibility(db: Database, party: PartyRef, before: readonly PartyView[], after: readonly PartyView[]): Promise<Array<{ tariff: Tariff; visible: boolean }>> {
  const rows = await db
    .select({ object: tariffs.object, before: sql<number>`${visibleUnder(before, storedTariffKeys)}`, after: sql<number>`${visibleUnder(after, storedTariffKeys)}` })
    .from(tariffs)
    .where(and(isNull(tariffs.peer_id), eq(tariffs.country_code, party.country_code.toUpperCase()), eq(tariffs.party_id, party.party_id.toUpperCase())))
  return rows.filter((row) => Boolean(row.before) !== Boolean(row.after)).map((row) => ({ tariff: row.object, visible: Boolean(row.after) }))
}

/**
 * Changes with every write and delete of the party's own tariffs: their count, latest and summed last_updated
 * (last_updated must grow on each change, mod_tariffs).
 */
export async function ownTariffsFingerprint(db: Database, party: PartyRef): Promise<string> {
  const [row] = await db
    .select({ count: count(), latest: max(tariffs.last_updated), sum: sql<number>`coalesce(sum(${tariffs.last_updated}), 0)` })
    .from(tariffs)
    .where(and(isNull(tariffs.peer_id), eq(tariffs.country_code, party.country_code.toUpperCase()), eq(tariffs.party_id, party.party_id.toUpperCase())))
  return `${row?.count ?? 0}:${row?.latest ?? 0}:${row?.sum ?? 0}`
}

export async function findTariff(db: Database, party: PartyRef, id: string): Promise<TariffRow | undefined> {
  const [row] = await db.select().from(tariffs).where(eq(tariffs.key, tariffKey(party, id))).limit(1)
  return row
}

export async function findTariffs(db: Database, party: PartyRef, ids: string[]): Promise<TariffRow[]> {
  return db.select().from(tariffs).where(inArray(tariffs.key, ids.map((id) => tariffKey(party, id))))
}

/** Every published object of an own tariff group: the base tariff and its currency variants. */
export async function listOwnTariffGroup(db: Database, party: PartyRef, groupId: string): Promise<TariffRow[]> {
  return db.select().from(tariffs).where(and(
    isNull(tariffs.peer_id),
    eq(tariffs.country_code, party.country_code.toUpperCase()),
    eq(tariffs.party_id, party.party_id.toUpperCase()),
    eq(tariffs.tariff_group_id, groupId),
  ))
}

/**
 * Replaces an own tariff group with `published` (base first) in one batch and returns the objects that were removed
 * (variants no longer offered), which the caller pushes as DELETE.
 */
export async function replaceOwnTariffGroup(db: Database, party: PartyRef, groupId: string, published: Tariff[]): Promise<Tariff[]> {
  const existing = await listOwnTariffGroup(db, party, groupId)
  const rows = published.map((tariff) => rowOf(tariff, null, groupId))
  const keep = new Set(rows.map((row) => row.key))
  const removed = existing.filter((row) => !keep.has(row.key))
  const upserts = rows.map((row) => db.insert(tariffs).values(row).onConflictDoUpdate({ target: tariffs.key, set: upsertSet }))
  const deletion = removed.length ? [db.delete(tariffs).where(inArray(tariffs.key, removed.map((row) => row.key)))] : []
  await runBatch(db, [...upserts, ...deletion])
  return removed.map((row) => row.object)
}

export async function deleteOwnTariffGroup(db: Database, party: PartyRef, groupId: string): Promise<Tariff[]> {
  const existing = await listOwnTariffGroup(db, party, groupId)
  if (existing.length) await db.delete(tariffs).where(inArray(tariffs.key, existing.map((row) => row.key)))
  return existing.map((row) => row.object)
}

const upsertSet = {
  id: sql`excluded.id`,
  peer_id: sql`excluded.peer_id`,
  tariff_group_id: sql`excluded.tariff_group_id`,
  iso_currency: sql`excluded.iso_currency`,
  last_updated: sql`excluded.last_updated`,
  object: sql`excluded.object`,
}

export type ReceivedWrite = 'stored' | 'stale' | 'not_owned'

/**
 * Stores a tariff pushed by a peer unless the stored copy is newer (an older `last_updated` never overwrites newer data)
 * or the key belongs to one of our own tariffs. The condition sits in the upsert itself, so concurrent pushes cannot race.
 */
export async function putReceivedTariff(db: Database, peerId: string, tariff: Tariff): Promise<ReceivedWrite> {
  const row = rowOf(tariff, peerId, null)
  const written = await db.insert(tariffs).values(row)
    .onConflictDoUpdate({ target: tariffs.key, set: upsertSet, setWhere: and(isNotNull(tariffs.peer_id), lte(tariffs.last_updated, row.last_updated)) })
    .returning({ key: tariffs.key })
  if (written.length) return 'stored'
  const existing = await findTariff(db, tariff, tariff.id)
  return existing?.peer_id === null ? 'not_owned' : 'stale'
}

/** Deletes a received tariff; false when there is none from this peer. */
export async function deleteReceivedTariff(db: Database, peerId: string, party: PartyRef, id: string): Promise<boolean> {
  const deleted = await db.delete(tariffs).where(and(eq(tariffs.key, tariffKey(party, id)), eq(tariffs.peer_id, peerId))).returning({ key: tariffs.key })
  return deleted.length > 0
}

/** Own tariffs in non-ISO currencies (few: one per crypto variant), for delivering them when a peer's opt-in changes. */
export async function listOwnNonIsoTariffs(db: Database): Promise<Tariff[]> {
  const rows = await db.select({ object: tariffs.object }).from(tariffs).where(and(isNull(tariffs.peer_id), eq(tariffs.iso_currency, false)))
    .orderBy(...pageOrder(paged))
  return rows.map((row) => row.object)
}

export async function peerAcceptsNonIsoCurrencies(db: Database, peerId: string): Promise<boolean> {
  const [row] = await db.select({ on: tariffPeerSettings.non_iso_currencies }).from(tariffPeerSettings).where(eq(tariffPeerSettings.peer_id, peerId)).limit(1)
  return row?.on ?? false
}

export async function peersAcceptingNonIsoCurrencies(db: Database): Promise<Set<string>> {
  const rows = await db.select({ peer_id: tariffPeerSettings.peer_id }).from(tariffPeerSettings).where(eq(tariffPeerSettings.non_iso_currencies, true))
  return new Set(rows.map((row) => row.peer_id))
}

/** Sets the opt-in; returns whether it changed (no row reads as not opted in). */
export async function setPeerAcceptsNonIsoCurrencies(db: Database, peerId: string, accepts: boolean): Promise<boolean> {
  const before = await peerAcceptsNonIsoCurrencies(db, peerId)
  const row = { peer_id: peerId, non_iso_currencies: accepts, updated_at: Date.now() }
  await db.insert(tariffPeerSettings).values(row).onConflictDoUpdate({ target: tariffPeerSettings.peer_id, set: { non_iso_currencies: accepts, updated_at: row.updated_at } })
  return before !== accepts
}
