import type { ScheduledJob } from '../../jobs/types'
import { buildFeeds } from './build'

/** Feeds follow the data: each changed one starts its build (a background job); unchanged feeds cost a few counts. */
export const feedsBuildJob: ScheduledJob = {
  name: 'x-feeds-build',
  run: async (env, scheduledTime) => {
    const failed = (await buildFeeds(env, scheduledTime)).filter((outcome) => outcome.status === 'failed')
    if (failed.length > 0) throw new Error(`${failed.length} feed build(s) failed: ${failed.map((outcome) => outcome.error).join('; ')}`)
  },
}
