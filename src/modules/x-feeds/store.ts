import { and, desc, eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { feedSnapshots } from '../../db/schema'
import type { PartyRef } from '../../ocpi/context'
import type { OcpiVersion } from '../../ocpi/versions'
import type { FeedModule } from './sources'

export type FeedSnapshot = typeof feedSnapshots.$inferSelect

/** One feed: a party's module in one version. Its snapshots differ by built_at. */
export interface FeedId { party: PartyRef; version: OcpiVersion; module: FeedModule }

/** `feeds/{cc}/{pid}/{version}/{module}/{built_at}.ndjson.gz` */
export const snapshotKey = ({ party, version, module }: FeedId, builtAt: number) =>
  `feeds/${party.country_code}/${party.party_id}/${version}/${module}/${builtAt}.ndjson.gz`

const ofFeed = ({ party, version, module }: FeedId) =>
  and(eq(feedSnapshots.country_code, party.country_code.toUpperCase()), eq(feedSnapshots.party_id, party.party_id.toUpperCase()),
    eq(feedSnapshots.version, version), eq(feedSnapshots.module, module))

/** A feed's snapshots, newest first. */
export async function listSnapshots(db: Database, feed: FeedId): Promise<FeedSnapshot[]> {
  return db.select().from(feedSnapshots).where(ofFeed(feed)).orderBy(desc(feedSnapshots.built_at))
}

export async function latestSnapshot(db: Database, feed: FeedId): Promise<FeedSnapshot | undefined> {
  const [row] = await db.select().from(feedSnapshots).where(ofFeed(feed)).orderBy(desc(feedSnapshots.built_at)).limit(1)
  return row
}

/** The newest snapshot of every feed in one version: few rows (hosted CPO parties x modules x snapshots kept). */
export async function latestSnapshotsOf(db: Database, version: OcpiVersion): Promise<FeedSnapshot[]> {
  const rows = await db.select().from(feedSnapshots).where(eq(feedSnapshots.version, version))
    .orderBy(feedSnapshots.country_code, feedSnapshots.party_id, feedSnapshots.module, desc(feedSnapshots.built_at))
  const seen = new Set<string>()
  return rows.filter((row) => {
    const feed = `${row.country_code}*${row.party_id}*${row.module}`
    if (seen.has(feed)) return false
    seen.add(feed)
    return true
  })
}

export async function insertSnapshot(db: Database, snapshot: FeedSnapshot): Promise<void> {
  await db.insert(feedSnapshots).values(snapshot)
}

export async function deleteSnapshots(db: Database, feed: FeedId, builtAt: number[]): Promise<void> {
  if (builtAt.length > 0) await db.delete(feedSnapshots).where(and(ofFeed(feed), inArray(feedSnapshots.built_at, builtAt)))
}
