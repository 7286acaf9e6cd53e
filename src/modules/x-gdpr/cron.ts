import type { ScheduledJob } from '../../jobs/types'
import { databaseFor } from '../../db/shards'
import { deleteExpiredExports } from './export-store'

/** Right-of-access exports are deleted when they expire, not merely refused. */
export const expiredGdprExportsJob: ScheduledJob = {
  name: 'gdpr-exports-expiry',
  run: async (env, scheduledTime) => {
    await deleteExpiredExports(databaseFor(env), env.BUNDLES, scheduledTime)
  },
}
