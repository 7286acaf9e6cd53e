import type { ScheduledJob } from '../../jobs/types'
import { database } from '../../db/client'
import { deleteExpiredExports } from './export-store'

/** Right-of-access exports are deleted when they expire, not merely refused. */
export const expiredGdprExportsJob: ScheduledJob = {
  name: 'gdpr-exports-expiry',
  run: async (env, scheduledTime) => {
    await deleteExpiredExports(database(env.DB), env.BUNDLES, scheduledTime)
  },
}
