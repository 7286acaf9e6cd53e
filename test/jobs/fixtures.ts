import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import type { JobView } from '../../src/jobs/types'

export const jobStub = (jobId: string) => env.BACKGROUND_JOB.get(env.BACKGROUND_JOB.idFromName(jobId))

/** Runs a background job's alarms now (its retries too) until it stops RUNNING; returns its final status. */
export async function finishJob(jobId: string, maxAlarms = 100): Promise<JobView> {
  const job = jobStub(jobId)
  for (let alarms = 0; alarms < maxAlarms; alarms++) {
    const status = await job.status()
    if (!status) throw new Error(`No job ${jobId}`)
    if (status.status !== 'RUNNING') return status
    await runDurableObjectAlarm(job)
  }
  throw new Error(`Job ${jobId} still RUNNING after ${maxAlarms} alarms`)
}
