import type { Env } from '../env'
import type { ScheduledJob } from '../jobs/types'
import { recheckOfflinePeers, rotateStaleCredentials } from '../peers/registration'
import { expiredGdprExportsJob } from '../modules/x-gdpr/cron'
import { pushClientInfoChanges } from '../modules/hubclientinfo/push'
import { feedsBuildJob } from '../modules/x-feeds/cron'
import { logError } from '../ocpi/log'
import { bookingsNoShowJob } from '../modules/bookings/lifecycle'

/** Jobs run by the cron trigger, each isolated so one failure does not stop the others. */
export const scheduledJobs: ScheduledJob[] = [
  { name: 'credentials-renewal', run: (env, scheduledTime) => rotateStaleCredentials(env, scheduledTime) },
  { name: 'offline-peers-recheck', run: (env) => recheckOfflinePeers(env) },
  expiredGdprExportsJob,
  { name: 'hubclientinfo-push', run: async (env) => void (await pushClientInfoChanges(env)) },
  feedsBuildJob,
  bookingsNoShowJob,
]

export async function runScheduledJobs(env: Env, scheduledTime: number): Promise<void> {
  await Promise.all(scheduledJobs.map((job) => job.run(env, scheduledTime)
    .catch((error: unknown) => logError(`scheduled job ${job.name} failed`, error))))
}
