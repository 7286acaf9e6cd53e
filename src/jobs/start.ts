import { listAuditEntries } from '../db/audit-store'
import { auditEntry } from '../db/batch'
import { databaseFor } from '../db/shards'
import type { Env } from '../env'
import type { JobView } from './types'

// Starting and reading jobs, for modules: they name a kind and an initial state, the BackgroundJob does the rest.

export const backgroundJob = (env: Env, jobId: string) => env.BACKGROUND_JOB.get(env.BACKGROUND_JOB.idFromName(jobId))

/** Starts a job (or returns the one already started under this id: a retried request does not start it twice). */
export async function startJob(env: Env, kind: string, state: unknown, jobId: string = crypto.randomUUID()): Promise<JobView> {
  const job = await backgroundJob(env, jobId).start({ job_id: jobId, kind, state })
  // Jobs live in their own Durable Objects, which cannot be listed: the audit log is the index of jobs started.
  if (job.steps === 0 && job.status === 'RUNNING') await auditEntry(databaseFor(env), { actor: 'platform', action: JOB_STARTED, subject: `job:${jobId}`, detail: { kind } })
  return job
}

const JOB_STARTED = 'job.started'

/** The latest jobs started, newest first, each as its Durable Object shows it now (at most `limit`). */
export async function listRecentJobs(env: Env, limit: number): Promise<JobView[]> {
  const entries = await listAuditEntries(databaseFor(env), { action: JOB_STARTED, limit: limit * 2 })
  const jobIds = [...new Set(entries.map((entry) => entry.subject?.replace(/^job:/, '')).filter((id): id is string => !!id))].slice(0, limit)
  const jobs: (JobView | undefined | null)[] = await Promise.all(jobIds.map((jobId) => backgroundJob(env, jobId).status()))
  return jobs.filter((job) => !!job)
}

/** What an admin endpoint that started a job answers with `202 Accepted`. */
export const jobAccepted = (job: Pick<JobView, 'job_id' | 'kind' | 'status'>) => ({
  job_id: job.job_id,
  kind: job.kind,
  status: job.status,
  status_url: `/admin/v1/jobs/${encodeURIComponent(job.job_id)}`,
})
