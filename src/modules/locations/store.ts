import { and, asc, count, eq, gt, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { retryOnConflict } from '../../db/conflict'
import { assertStorable, LOCATION_MAX_BYTES } from '../../db/limits'
import { afterPosition, dateRange, pageOffset, pageOrder, pageFrom, runPage } from '../../db/paging'
import { readDataVersion } from '../../db/data-versions'
import { locations, locationTariffRefs } from '../../db/schema'
import type { PartyRef } from '../../ocpi/context'
import type { Page, PageQuery } from '../../ocpi/paging'
import { toEpochMs } from '../../ocpi/types'
import type { OcpiVersion } from '../../ocpi/versions'
import { toWire } from '../../ocpi/version-adapters'
import { unknownTarget } from './merge'
import type { PartyView } from '../../ocpi/objects/sharing-policy'
import { type Location } from '../../ocpi/objects/location'
import { locationVersions } from '../../ocpi/objects/version-maps'

/**
 * Whose copy a caller means: `own` (a location of a hosted party) or the id of the peer that sent it; reads also take
 * `received` (whichever peer sent it). Stored as `peer_id` (null for own), one row per key: a party is held by one
 * connection, so a key has one copy.
 */
export const OWN_SOURCE = 'own'
export const RECEIVED = 'received'
function peerIdOf(source: string): string | null {
  if (source === RECEIVED) throw new Error('a location is written under own or the id of the peer that sent it')
  return source === OWN_SOURCE ? null : source
}
const fromSource = (source: string) =>
  source === OWN_SOURCE ? isNull(locations.peer_id) : source === RECEIVED ? isNotNull(locations.peer_id) : eq(locations.peer_id, source)

const paged = { last_updated: locations.last_updated, key: locations.key }

/**
 * `column IN (values)` with the values bound as one JSON array: D1 allows 100 bound parameters per statement, and
 * a policy may list thousands of location ids or a platform host many parties.
 */
const inJsonArray = (column: SQL | typeof locations.key, values: readonly string[]) => sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`

const partyKey = sql`${locations.country_code} || '*' || ${locations.party_id}`

/** `CC*PID*ID` upper-cased: CiString ids compare case-insensitively. */
export const locationKey = (party: PartyRef, id: string) => `${party.country_code}*${party.party_id}*${id}`.toUpperCase()

/** The row one location is stored as: key, indexed columns, canonical JSON and its serialization per OCPI version. */
export function locationRow(source: string, location: Location) {
  assertStorable(`Location ${location.id}`, location, LOCATION_MAX_BYTES, location.evses?.length ? 'evses' : '')
  return {
    peer_id: peerIdOf(source),
    key: locationKey(location, location.id),
    country_code: location.country_code.toUpperCase(),
    party_id: location.party_id.toUpperCase(),
    id: location.id,
    publish: location.publish,
    last_updated: toEpochMs(location.last_updated),
    object: location,
    json_230: JSON.stringify(toWire(locationVersions, '2.3.0', location)),
    json_221: JSON.stringify(toWire(locationVersions, '2.2.1', location)),
  }
}

export interface StoredLocation { location: Location; revision: number }

export async function getLocation(db: Database, source: string, party: PartyRef, id: string): Promise<StoredLocation | undefined> {
  const [row] = await db
    .select({ location: locations.object, revision: locations.revision })
    .from(locations)
    .where(and(fromSource(source), eq(locations.key, locationKey(party, id))))
    .limit(1)
  return row
}

/** The locations with these keys in one source, e.g. one id looked up under every hosted party at once. */
export async function getLocationsByKeys(db: Database, source: string, keys: string[]): Promise<Location[]> {
  if (keys.length === 0) return []
  const rows = await db.select({ location: locations.object }).from(locations).where(and(fromSource(source), inJsonArray(locations.key, keys)))
  return rows.map((row) => row.location)
}

/**
 * Stores a whole Location unless the stored one has a later last_updated ("older never overwrites newer"; equal is
 * a repeat and harmless). One statement, so two writers cannot interleave. Returns the revision it committed (what
 * its pushes are bound to, docs/push.md "Versions"), or undefined when it was older.
 */
export async function upsertLocation(db: Database, source: string, location: Location): Promise<number | undefined> {
  return (await upsertStatement(db, source, location))[0]?.revision
}

/**
 * Many locations received from one peer (a pull page) in one round trip, each under the same rule as upsertLocation.
 * Returns how many were stored (the others were older than what a push already delivered).
 */
export async function upsertReceivedLocations(db: Database, source: string, received: Location[]): Promise<number> {
  if (source === OWN_SOURCE) throw new Error('upsertReceivedLocations is for locations received from a peer')
  if (received.length === 0) return 0
  const statements = received.map((location) => upsertStatement(db, source, location))
  const results = await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]])
  return results.filter((rows) => rows.length > 0).length
}

function upsertStatement(db: Database, source: string, location: Location) {
  const row = locationRow(source, location)
  return db
    .insert(locations)
    .values({ ...row, revision: 1 })
    .onConflictDoUpdate({
      target: locations.key,
      set: { ...row, revision: sql`${locations.revision} + 1` },
      // A hosted party's write also takes over a copy a former holder sent; a peer's never replaces an own location.
      setWhere: source === OWN_SOURCE
        ? sql`${locations.peer_id} IS NOT NULL OR excluded.last_updated >= ${locations.last_updated}`
        : sql`${locations.peer_id} IS NOT NULL AND excluded.last_updated >= ${locations.last_updated}`,
    })
    .returning({ key: locations.key, revision: locations.revision })
}

/** The data version of the locations table (bumped by a trigger on every write): a feed snapshot's fingerprint. */
export const ownDataVersion = (db: Database): Promise<number> => readDataVersion(db, 'locations')

/** Replaces a location only if nobody wrote it since `revision` was read. */
async function replaceIfUnchanged(db: Database, source: string, location: Location, revision: number, readAs: string): Promise<boolean> {
  const row = locationRow(source, location)
  const write = db
    .update(locations)
    .set({ ...row, revision: revision + 1 })
    .where(and(fromSource(readAs), eq(locations.key, row.key), eq(locations.revision, revision)))
    .returning({ key: locations.key })
  return (await write).length > 0
}

export type UpdateResult = { before: Location; after: Location; revision: number } | { before: Location; after: undefined }

/**
 * Read, change, compare-and-swap: the way EVSE and Connector writes change one location without losing a concurrent
 * write to a sibling (D1 has no interactive transactions). `change` returns undefined to leave the location as is
 * (e.g. an older last_updated). Unknown location: 2003.
 */
export async function updateLocation(
  db: Database,
  source: string,
  party: PartyRef,
  id: string,
  change: (current: Location) => Location | undefined,
): Promise<UpdateResult> {
  return retryOnConflict<UpdateResult>(`Location ${id}`, async () => {
    // One copy per key: the party's holder changes it whichever of its connections sent it last.
    const readAs = source === OWN_SOURCE ? OWN_SOURCE : RECEIVED
    const stored = await getLocation(db, readAs, party, id)
    if (!stored) throw unknownTarget(`Location ${id}`)
    const next = change(stored.location)
    if (!next) return { before: stored.location, after: undefined }
    if (await replaceIfUnchanged(db, source, next, stored.revision, readAs)) return { before: stored.location, after: next, revision: stored.revision + 1 }
    return undefined
  })
}

// ---- conditions: each names one access path the routes need ----

export const ofParty = (party: PartyRef) =>
  and(eq(locations.country_code, party.country_code.toUpperCase()), eq(locations.party_id, party.party_id.toUpperCase()))


/**
 * Own locations one peer may see: of the parties whose policy grants it their published locations, those; plus every
 * location a policy names for it by id.
 */
export function ownLocationsVisibleTo(parties: readonly PartyView[]): SQL {
  const publishedOf = parties.filter(({ visibility }) => visibility.published).map(({ party }) => `${party.country_code}*${party.party_id}`.toUpperCase())
  const grantedKeys = parties.flatMap(({ party, visibility }) => [...visibility.ids].map((id) => locationKey(party, id)))
  const visible = [
    publishedOf.length > 0 ? and(eq(locations.publish, true), inJsonArray(partyKey, publishedOf)) : undefined,
    grantedKeys.length > 0 ? inJsonArray(locations.key, grantedKeys) : undefined,
  ].filter((condition) => condition !== undefined)
  return and(fromSource(OWN_SOURCE), visible.length > 0 ? or(...visible) : sql`0`)!
}

/**
 * For other stores' queries about records at a location (a session's `location_id`): whether the own location stored
 * under `locationKeyOf` (a `locationKey` expression) is one those party views let a peer see.
 */
export function ownLocationVisibleTo(locationKeyOf: SQL, parties: readonly PartyView[]): SQL {
  return sql`EXISTS (SELECT 1 FROM ${locations} WHERE ${locations.key} = ${locationKeyOf} AND ${ownLocationsVisibleTo(parties)})`
}

/**
 * For the tariffs store's queries (a tariff follows the locations that use it): whether an own location references a
 * tariff stored under `tariffKey` or `groupKey` (location_tariff_refs, kept by triggers on own locations), or, with
 * `visibleTo`, whether one those party views let a peer see does.
 */
export function ownLocationsReferenceTariff(keys: { tariffKey: SQL | string; groupKey: SQL | string }, visibleTo?: readonly PartyView[]): SQL {
  const references = sql`${locationTariffRefs.tariff_key} IN (${keys.tariffKey}, ${keys.groupKey})`
  if (!visibleTo) return sql`EXISTS (SELECT 1 FROM ${locationTariffRefs} WHERE ${references})`
  return sql`EXISTS (SELECT 1 FROM ${locationTariffRefs}
    JOIN ${locations} ON ${locations.peer_id} IS NULL AND ${locations.key} = ${locationTariffRefs.location_key}
    WHERE ${references} AND ${ownLocationsVisibleTo(visibleTo)})`
}

// ---- paged lists ----

type ValueColumn = typeof locations.object | typeof locations.json_230 | typeof locations.json_221

/** One page and the total the filter matches, the total and offset positions remembered per data version (runPage). */
async function pageOf<T>(db: Database, column: ValueColumn, where: SQL | undefined, page: PageQuery): Promise<Page<T>> {
  const matching = and(where, dateRange(paged, page))
  const { rows, total } = await runPage(db, page, {
    rows: (at) => db
      .select({ value: column, last_updated: locations.last_updated, key: locations.key })
      .from(locations)
      .where(and(matching, afterPosition(paged, at)))
      .orderBy(...pageOrder(paged))
      .limit(at.limit)
      .offset(pageOffset(at)),
    count: db.select({ total: count() }).from(locations).where(matching),
    scopes: ['locations'],
  })
  return pageFrom(rows, total, (row) => row.value as T)
}

/**
 * A page of the own locations these party views let a peer see, already serialized for `version`: served without
 * converting or re-serializing.
 */
export async function listSerializedLocations(db: Database, visibleTo: readonly PartyView[], page: PageQuery, version: OcpiVersion): Promise<Page<string>> {
  if (version === '2.1.1') {
    // Few 2.1.1 peers, and pulls rather than hot pages: converted per request instead of a third column.
    const canonical = await pageOf<Location>(db, locations.object, ownLocationsVisibleTo(visibleTo), page)
    return { ...canonical, objects: canonical.objects.map((location) => JSON.stringify(toWire(locationVersions, version, location))) }
  }
  return pageOf<string>(db, version === '2.2.1' ? locations.json_221 : locations.json_230, ownLocationsVisibleTo(visibleTo), page)
}

/** Whose locations a management list shows: own, received (from any peer, or from `peerId`); no source: all. */
export interface LocationListFilter { source?: 'own' | 'received'; peerId?: string; party?: PartyRef }

export function listLocations(db: Database, filter: LocationListFilter, page: PageQuery): Promise<Page<Location>> {
  const source = !filter.source ? undefined : fromSource(filter.source === 'received' && filter.peerId ? filter.peerId : filter.source)
  return pageOf<Location>(db, locations.object, and(source, filter.party && ofParty(filter.party)), page)
}

/** One batch of a party's locations in one source, in key order after `afterKey` (policy changes walk them in chunks). */
export async function partyLocationsAfter(db: Database, source: string, party: PartyRef, afterKey: string, limit: number): Promise<{ key: string; location: Location }[]> {
  return db
    .select({ key: locations.key, location: locations.object })
    .from(locations)
    .where(and(fromSource(source), ofParty(party), gt(locations.key, afterKey)))
    .orderBy(asc(locations.key))
    .limit(limit)
}
