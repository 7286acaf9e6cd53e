import type { Env } from './env'

export interface ScheduledJob {
  name: string
  run(env: Env, scheduledTime: number): Promise<void>
}

/** Jobs run by the cron trigger, each isolated so one failure does not stop the others. */
export const scheduledJobs: ScheduledJob[] = []

export async function runScheduledJobs(env: Env, scheduledTime: number): Promise<void> {
  const results = await Promise.allSettled(scheduledJobs.map((job) => job.run(env, scheduledTime)))
  results.forEach((result, index) => {
    if (result.status === 'rejected') console.error(`scheduled job ${scheduledJobs[index].name} failed`, result.reason)
  })
}
