import { type Database } from '../../db/client'
import { databaseFor } from '../../db/shards'
import type { Env } from '../../env'
import type { PageQuery } from '../../ocpi/paging'
import { offeredVersions } from '../../ocpi/versions'
import { agreedWith } from '../../peers/extensions'
import { listHostedParties } from '../../peers/parties'
import { listPeers } from '../../peers/store'
import { partiesWithAudience, PUBLISHED_AUDIENCE } from './audience'
import { X_FEEDS } from './module-id'
import { FEED_MODULES, feedSources, type FeedSource } from './sources'
import { deleteSnapshots, insertSnapshot, latestSnapshot, listSnapshots, snapshotKey, type FeedId, type FeedSnapshot } from './store'
import { writeGzipNdjson } from './writer'
import { logError } from '../../ocpi/log'

/** Snapshots kept per feed: the newest, and the one before it for consumers still downloading it. */
export const SNAPSHOTS_KEPT = 2
const PAGE_SIZE = 1000

export type BuildStatus = 'built' | 'unchanged' | 'no_audience' | 'failed'
export interface BuildOutcome { feed: FeedId; status: BuildStatus; snapshot?: FeedSnapshot; error?: string }

/**
 * Builds every feed whose data changed since its last snapshot: per hosted CPO party, offered OCPI version and module.
 * A party none of the peers agreed to x-feeds would be served a feed of (audience.ts) gets none.
 */
export async function buildFeeds(env: Env, now = Date.now()): Promise<BuildOutcome[]> {
  const db = databaseFor(env)
  const [hosted, peers] = await Promise.all([listHostedParties(db), listPeers(db)])
  const hasAudience = await partiesWithAudience(db, peers.filter((peer) => peer.status !== 'PENDING' && agreedWith(peer, X_FEEDS)))
  const outcomes: BuildOutcome[] = []
  for (const { country_code, party_id } of hosted.filter((party) => party.role === 'CPO')) {
    const party = { country_code, party_id }
    const audience = hasAudience(party)
    for (const module of FEED_MODULES) {
      const fingerprint = audience ? await feedSources[module].fingerprint(db, party) : ''
      for (const version of offeredVersions(env)) {
        const feed: FeedId = { party, version, module }
        if (!audience) outcomes.push({ feed, status: 'no_audience' })
        else outcomes.push(await buildFeed(env.BUNDLES, db, feed, fingerprint, now))
      }
    }
  }
  return outcomes
}

/** One feed: skipped when its fingerprint is the latest snapshot's; each failure stays with its feed. */
async function buildFeed(bucket: R2Bucket, db: Database, feed: FeedId, fingerprint: string, now: number): Promise<BuildOutcome> {
  try {
    const latest = await latestSnapshot(db, feed)
    if (latest?.fingerprint === fingerprint) return { feed, status: 'unchanged', snapshot: latest }
    const snapshot = await writeSnapshot(bucket, db, feed, fingerprint, Math.max(now, (latest?.built_at ?? 0) + 1))
    await pruneSnapshots(bucket, db, feed)
    return { feed, status: 'built', snapshot }
  } catch (error) {
    logError(`x-feeds: building ${snapshotKey(feed, now)} failed`, error)
    return { feed, status: 'failed', error: error instanceof Error ? error.message : String(error) }
  }
}

async function writeSnapshot(bucket: R2Bucket, db: Database, feed: FeedId, fingerprint: string, builtAt: number): Promise<FeedSnapshot> {
  const source = feedSources[feed.module]
  const progress = { count: 0, last_updated: null as number | null }
  const key = snapshotKey(feed, builtAt)
  const written = await writeGzipNdjson(bucket, key, readPages(db, source, feed, builtAt, progress), {
    httpMetadata: { contentType: 'application/x-ndjson', contentEncoding: 'gzip' },
  })
  const snapshot: FeedSnapshot = {
    country_code: feed.party.country_code, party_id: feed.party.party_id, version: feed.version, module: feed.module,
    built_at: builtAt, audience: PUBLISHED_AUDIENCE, r2_key: key, object_count: progress.count, size: written.size,
    sha256: written.sha256, last_updated: progress.last_updated, fingerprint,
  }
  await insertSnapshot(db, snapshot)
  return snapshot
}

/**
 * The feed's objects page by page in (last_updated, key) order, up to (not including) the build time: an object
 * changed while the build runs gets a later last_updated and moves past date_to instead of appearing twice; the
 * consumer's delta pull from the snapshot's last_updated picks it up.
 */
async function* readPages(db: Database, source: FeedSource, feed: FeedId, builtAt: number, progress: { count: number; last_updated: number | null }) {
  let query: PageQuery | undefined = { offset: 0, limit: PAGE_SIZE, date_to: builtAt }
  while (query) {
    const page = await source.page(db, feed.party, feed.version, query)
    progress.count += page.lines.length
    if (page.last_updated !== undefined) progress.last_updated = page.last_updated
    yield page.lines
    query = page.next
  }
}

/** Keeps the newest SNAPSHOTS_KEPT snapshots of a feed; older ones leave R2 first, then their manifest. */
async function pruneSnapshots(bucket: R2Bucket, db: Database, feed: FeedId): Promise<void> {
  const old = (await listSnapshots(db, feed)).slice(SNAPSHOTS_KEPT)
  if (old.length === 0) return
  await bucket.delete(old.map((snapshot) => snapshot.r2_key))
  await deleteSnapshots(db, feed, old.map((snapshot) => snapshot.built_at))
}
