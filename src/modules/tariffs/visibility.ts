import { and, eq, isNull, sql, type SQL } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { locations, locationTariffRefs, tariffs } from '../../db/schema'
import type { PartyRef } from '../../ocpi/context'
import { listHostedParties } from '../../peers/parties'
import { visibilityFor, type PartyView, type SharingPolicy, type Viewer } from '../../ocpi/objects/sharing-policy'
import { partyViews } from '../locations/policy-store'
import { OWN_SOURCE, ownLocationsVisibleTo } from '../locations/store'
import type { Tariff } from '../../ocpi/objects/tariff'
import { tariffKey } from './store'

// Who sees which own tariff (docs/tariffs.md, "Who sees which tariff"): a tariff follows the locations that use it, so
// a peer never learns the prices of charge points the sharing policy (B1.5) hides from it.
// - referenced by no own location (an ad-hoc tariff, one not yet in use): visible to every peer;
// - referenced by at least one location the peer may see: visible;
// - otherwise: hidden, on pull (list and single GET) and on push alike.
// A currency variant (`{id}~{currency}`) counts the references of its base tariff as its own.

/** What one peer may see of each hosted CPO party (or only of `parties`), under the current sharing policies. */
export const peerViews = (db: Database, viewer: Viewer, parties?: PartyRef[]): Promise<PartyView[]> => partyViews(db, viewer, parties ?? cposHosted(db))

const cposHosted = async (db: Database) => (await listHostedParties(db)).filter((party) => party.role === 'CPO')

/** The two keys a tariff's references are stored under: its own, and its group's base tariff (currency variants). */
interface TariffKeys { key: SQL | string; groupKey: SQL | string }

const storedTariffKeys: TariffKeys = {
  key: sql`${tariffs.key}`,
  groupKey: sql`${tariffs.country_code} || '*' || ${tariffs.party_id} || '*' || upper(coalesce(${tariffs.tariff_group_id}, ${tariffs.id}))`,
}

function visibleUnder(views: PartyView[], keys: TariffKeys): SQL {
  const references = sql`${locationTariffRefs.tariff_key} IN (${keys.key}, ${keys.groupKey})`
  return sql`(NOT EXISTS (SELECT 1 FROM ${locationTariffRefs} WHERE ${references}) OR EXISTS (SELECT 1 FROM ${locationTariffRefs}
    JOIN ${locations} ON ${locations.source} = ${OWN_SOURCE} AND ${locations.key} = ${locationTariffRefs.location_key}
    WHERE ${references} AND ${ownLocationsVisibleTo(views)}))`
}

/** The condition on `tariffs` rows a peer's list is filtered by (in the query: X-Total-Count and paging stay exact). */
export const ownTariffsVisibleTo = (views: PartyView[]): SQL => visibleUnder(views, storedTariffKeys)

/**
 * Whether the peer may see one own tariff, stored or just deleted (a DELETE goes only to peers that could see it): the
 * same rule, evaluated on the tariff's keys rather than on its row.
 */
export async function mayViewTariff(db: Database, viewer: Viewer, tariff: { country_code: string; party_id: string; id: string; tariff_group_id?: string | null }): Promise<boolean> {
  const party = { country_code: tariff.country_code.toUpperCase(), party_id: tariff.party_id.toUpperCase() }
  const views = await peerViews(db, viewer, [party])
  const keys = { key: tariffKey(party, tariff.id), groupKey: tariffKey(party, tariff.tariff_group_id ?? tariff.id) }
  const row = await db.get<{ visible: number }>(sql`SELECT ${visibleUnder(views, keys)} AS visible`)
  return row.visible === 1
}

/**
 * A party's sharing policy changed from `before` (null: none was set) to `after`: its own tariffs whose visibility for
 * `viewer` differs, each with whether the viewer may now see it.
 */
export async function tariffsChangingVisibility(
  db: Database, viewer: Viewer, party: PartyRef, before: SharingPolicy | null, after: SharingPolicy,
): Promise<Array<{ tariff: Tariff; visible: boolean }>> {
  const underPolicy = (policy: SharingPolicy | null) => ownTariffsVisibleTo([{ party, visibility: visibilityFor(policy ?? undefined, viewer) }])
  const rows = await db
    .select({ object: tariffs.object, before: sql<number>`${underPolicy(before)}`, after: sql<number>`${underPolicy(after)}` })
    .from(tariffs)
    .where(and(isNull(tariffs.peer_id), eq(tariffs.country_code, party.country_code.toUpperCase()), eq(tariffs.party_id, party.party_id.toUpperCase())))
  return rows.filter((row) => Boolean(row.before) !== Boolean(row.after)).map((row) => ({ tariff: row.object, visible: Boolean(row.after) }))
}
