import type { Database } from '../../db/client'
import type { PartyRef } from '../../ocpi/context'
import type { PageQuery } from '../../ocpi/paging'
import type { OcpiVersion } from '../../ocpi/versions'
import { toWire } from '../../ocpi/version-adapters'
import { listSerializedLocations, ownDataVersion } from '../locations/store'
import { tariffVersions } from '../../ocpi/objects/version-maps'
import { listTariffs, ownTariffsFingerprint } from '../tariffs/store'
import { PUBLISHED_VIEW } from './audience'

// What a feed is built from: the same store queries, in the same (last_updated, key) order and under the same
// visibility conditions as the module's Sender list, so a feed line for line equals the paged pull of a peer in the
// feed's audience. Read page by page with the keyset cursor, never all at once.

export const FEED_MODULES = ['locations', 'tariffs'] as const
export type FeedModule = (typeof FEED_MODULES)[number]

export const isFeedModule = (value: string): value is FeedModule => (FEED_MODULES as readonly string[]).includes(value)

/** One page: serialized objects, the last one's last_updated (pages ascend, so the last page's is the maximum) and where the next page starts. */
export interface FeedPage { lines: string[]; last_updated?: number; next?: PageQuery }

export interface FeedSource {
  /** Whether the module's objects live on their party's shard (src/db/shards.ts) rather than with the platform data. */
  byParty: boolean
  /** Changes whenever the feed's content may have changed; an unchanged one skips the build. */
  fingerprint(db: Database, party: PartyRef): Promise<string>
  page(db: Database, party: PartyRef, version: OcpiVersion, query: PageQuery): Promise<FeedPage>
}

const audienceOf = (party: PartyRef) => [{ party, visibility: PUBLISHED_VIEW }]

function nextQuery(query: PageQuery, page: { objects: unknown[]; last?: { last_updated: number; key: string } }): PageQuery | undefined {
  return page.objects.length === query.limit && page.last ? { ...query, after: page.last } : undefined
}

const locationSource: FeedSource = {
  byParty: true,
  // Every location write bumps the data version (a trigger on the table, migrations/0320_data_versions.sql).
  fingerprint: async (db) => `locations:${await ownDataVersion(db)}`,
  async page(db, party, version, query) {
    const page = await listSerializedLocations(db, audienceOf(party), query, version)
    return { lines: page.objects, last_updated: page.last?.last_updated, next: nextQuery(query, page) }
  },
}

const tariffSource: FeedSource = {
  byParty: false,
  // Tariffs keep no data version: their count and last_updated sums change with every write and delete (last_updated
  // must grow on each change, mod_tariffs), and which tariffs are visible follows the locations (their data version).
  async fingerprint(db, party) {
    return `tariffs:${await ownTariffsFingerprint(db, party)}:${await ownDataVersion(db)}`
  },
  async page(db, party, version, query) {
    const page = await listTariffs(db, query, { source: 'own', party, includeNonIso: false, visibleTo: audienceOf(party) })
    return {
      lines: page.objects.map((tariff) => JSON.stringify(toWire(tariffVersions, version, tariff))),
      last_updated: page.last?.last_updated,
      next: nextQuery(query, page),
    }
  },
}

export const feedSources: Record<FeedModule, FeedSource> = { locations: locationSource, tariffs: tariffSource }
