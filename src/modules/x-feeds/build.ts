import { databaseFor } from '../../db/shards'
import type { Env } from '../../env'
import { startJob } from '../../jobs/start'
import type { JobView } from '../../jobs/types'
import { offeredVersions, VERSIONS_FROM_221 } from '../../ocpi/versions'
import { agreedWith } from '../../peers/extensions'
import { listHostedParties } from '../../peers/parties'
import { listPeers } from '../../peers/store'
import { partiesWithAudience } from './audience'
import { FEED_BUILD_JOB, FEED_CHUNK_SIZE, feedBuildJobId, newFeedBuild, PART_SIZE } from './build-job'
import { X_FEEDS } from './module-id'
import { FEED_MODULES, feedSources } from './sources'
import { latestSnapshot, snapshotKey, type FeedId, type FeedSnapshot } from './store'
import { logError } from '../../ocpi/log'

export type BuildStatus = 'started' | 'unchanged' | 'no_audience' | 'failed'
export interface BuildOutcome { feed: FeedId; status: BuildStatus; snapshot?: FeedSnapshot; job?: JobView; error?: string }

export interface BuildOptions { chunkSize?: number; partSize?: number }

/**
 * Starts a build (a background job, build-job.ts) of every feed whose data changed since its last snapshot: per
 * hosted CPO party, offered OCPI version and module. A party none of the peers agreed to x-feeds would be served a
 * feed of (audience.ts) gets none. A build already running for the same data is not started twice.
 */
export async function buildFeeds(env: Env, now = Date.now(), options: BuildOptions = {}): Promise<BuildOutcome[]> {
  const db = databaseFor(env)
  const [hosted, peers] = await Promise.all([listHostedParties(db), listPeers(db)])
  const hasAudience = await partiesWithAudience(db, peers.filter((peer) => peer.status !== 'PENDING' && agreedWith(peer, X_FEEDS)))
  const outcomes: BuildOutcome[] = []
  for (const { country_code, party_id } of hosted.filter((party) => party.role === 'CPO')) {
    const party = { country_code, party_id }
    const audience = hasAudience(party)
    for (const module of FEED_MODULES) {
      const source = feedSources[module]
      const fingerprint = audience ? await source.fingerprint(source.byParty ? databaseFor(env, party) : db, party) : ''
      // Feeds are an x- module, served from 2.2.1 on (index.ts): no 2.1.1 snapshot is built.
      for (const version of offeredVersions(env).filter((offered) => VERSIONS_FROM_221.includes(offered))) {
        const feed: FeedId = { party, version, module }
        if (!audience) outcomes.push({ feed, status: 'no_audience' })
        else outcomes.push(await startFeedBuild(env, feed, fingerprint, now, options))
      }
    }
  }
  return outcomes
}

/** One feed: nothing when its fingerprint is the latest snapshot's; each failure stays with its feed. */
async function startFeedBuild(env: Env, feed: FeedId, fingerprint: string, now: number, options: BuildOptions): Promise<BuildOutcome> {
  try {
    const latest = await latestSnapshot(databaseFor(env), feed)
    if (latest?.fingerprint === fingerprint) return { feed, status: 'unchanged', snapshot: latest }
    const builtAt = Math.max(now, (latest?.built_at ?? 0) + 1)
    const state = newFeedBuild(feed, fingerprint, builtAt, options.chunkSize ?? FEED_CHUNK_SIZE, options.partSize ?? PART_SIZE)
    const jobId = feedBuildJobId(feed, fingerprint)
    let job = await startJob(env, FEED_BUILD_JOB, state, jobId)
    // A build of this data that failed or was cancelled is tried again under a new id; a running one is left to finish.
    if (job.status === 'FAILED' || job.status === 'CANCELLED') job = await startJob(env, FEED_BUILD_JOB, state, `${jobId}-${builtAt}`)
    return { feed, status: 'started', job }
  } catch (error) {
    logError(`x-feeds: starting the build of ${snapshotKey(feed, now)} failed`, error)
    return { feed, status: 'failed', error: error instanceof Error ? error.message : String(error) }
  }
}
