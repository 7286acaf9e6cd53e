import { policyChangeJob, POLICY_CHANGE_JOB } from '../modules/locations/policy-change'
import { locationSyncJob, LOCATION_SYNC_JOB } from '../modules/locations/sync'
import { tokenSyncJob, TOKEN_SYNC_JOB } from '../modules/tokens/sync'
import { importJob, IMPORT_JOB } from '../modules/x-token-migration/takeover'
import { feedBuildJob, FEED_BUILD_JOB } from '../modules/x-feeds/build-job'
import type { JobKind } from '../jobs/types'

/** Every kind of background job, by name: each module contributes the step function of its own bulk work. */
export const jobKinds: Record<string, JobKind<never>> = {
  [POLICY_CHANGE_JOB]: policyChangeJob as JobKind<never>,
  [LOCATION_SYNC_JOB]: locationSyncJob as JobKind<never>,
  [TOKEN_SYNC_JOB]: tokenSyncJob as JobKind<never>,
  [IMPORT_JOB]: importJob as JobKind<never>,
  [FEED_BUILD_JOB]: feedBuildJob as JobKind<never>,
}
