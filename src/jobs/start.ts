import type { Env } from '../env'
import type { JobView } from './types'

// Starting and reading jobs, for modules: they name a kind and an initial state, the BackgroundJob does the rest.

export const backgroundJob = (env: Env, jobId: string) => env.BACKGROUND_JOB.get(env.BACKGROUND_JOB.idFromName(jobId))

/** Starts a job (or returns the one already started under this id: a retried request does not start it twice). */
export async function startJob(env: Env, kind: string, state: unknown, jobId: string = crypto.randomUUID()): Promise<JobView> {
  return backgroundJob(env, jobId).start({ job_id: jobId, kind, state })
}

/** What an admin endpoint that started a job answers with `202 Accepted`. */
export const jobAccepted = (job: Pick<JobView, 'job_id' | 'kind' | 'status'>) => ({
  job_id: job.job_id,
  kind: job.kind,
  status: job.status,
  status_url: `/admin/v1/jobs/${encodeURIComponent(job.job_id)}`,
})
