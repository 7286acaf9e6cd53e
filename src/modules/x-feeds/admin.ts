import { Hono } from 'hono'
import type { AdminEnv } from '../../admin/context'
import { jobAccepted } from '../../jobs/start'
import { buildFeeds, type BuildOutcome } from './build'

/** Operators: start the builds of changed feeds now rather than at the next cron run (e.g. after a bulk import). */
export const admin = new Hono<AdminEnv>()
  .post('/feeds/build', async (c) => c.json({ feeds: (await buildFeeds(c.env)).map(toOutcome) }, 202))

const toOutcome = ({ feed, status, snapshot, job, error }: BuildOutcome) => ({
  country_code: feed.party.country_code,
  party_id: feed.party.party_id,
  version: feed.version,
  module: feed.module,
  status,
  ...(job && { job_id: job.job_id, job_status: job.status, status_url: jobAccepted(job).status_url }),
  ...(snapshot && {
    built_at: new Date(snapshot.built_at).toISOString(),
    object_count: snapshot.object_count,
    size: snapshot.size,
    sha256: snapshot.sha256,
    last_updated: snapshot.last_updated === null ? null : new Date(snapshot.last_updated).toISOString(),
  }),
  ...(error && { error }),
})
