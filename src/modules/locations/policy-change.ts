import { type Database } from '../../db/client'
import { databaseFor } from '../../db/shards'
import type { Env } from '../../env'
import { backgroundJob, startJob } from '../../jobs/start'
import type { JobKind, JobView } from '../../jobs/types'
import type { PartyRef } from '../../ocpi/context'
import { listPeers, type Peer } from '../../peers/store'
import { assertHostedCpo } from './owner'
import type { Location } from '../../ocpi/objects/location'
import { mayView, type SharingPolicy } from '../../ocpi/objects/sharing-policy'
import { getPolicy, putPolicy, type StoredPolicy } from './policy-store'
import { pushLocationChange } from './push'
import { OWN_SOURCE, partyLocationsAfter, upsertLocation } from './store'

// A data-sharing policy change (B1.5): stored at once, so every pull is answered under the new policy from the next
// request on, and its pushes run as a background job, a chunk of the party's locations per step: a CPO with 300,000
// locations does not fit in one request (docs/jobs.md).

export const POLICY_CHANGE_JOB = 'locations.policy-change'

/** What else follows a party's sharing policy (the tariffs its locations use), registered by src/app/modules.ts. */
export type SharingPolicyListener = (env: Env, db: Database, party: PartyRef, replaced: SharingPolicy | null, policy: SharingPolicy) => Promise<unknown>
const policyListeners: SharingPolicyListener[] = []
export function onSharingPolicyChange(listener: SharingPolicyListener): void {
  policyListeners.push(listener)
}
/**
 * What else follows one location's visibility to peers (a hosted CPO's BookingLocations), registered by
 * src/app/modules.ts: called by the job for every location whose visibility a policy change changes, with the
 * location as now stored. Returns how many pushes it queued (they count towards the step's PUSHES_PER_STEP).
 */
export type VisibilityChangeListener = (env: Env, location: Location, sawBefore: (peer: Peer) => boolean, seesAfter: (peer: Peer) => boolean) => Promise<number>
const visibilityListeners: VisibilityChangeListener[] = []
export function onLocationVisibilityChange(listener: VisibilityChangeListener): void {
  visibilityListeners.push(listener)
}
const LOCATIONS_PER_STEP = 200
/**
 * Each queued push is a call to a peer's outbox, and an invocation (here: one alarm) may make only so many
 * subrequests: a step ends early, after the location that reached this many, and the next continues from there.
 */
const PUSHES_PER_STEP = 500

export interface PolicyChangeState {
  party: PartyRef
  version: number
  /**
   * Every policy a peer may still be seeing the party's locations under: the one replaced, plus those of unfinished
   * changes this one superseded (their pushes stopped part way, so a peer may hold either view).
   */
  before: (SharingPolicy | null)[]
  after: SharingPolicy
  /** The new last_updated of every location whose visibility changes for some peer. */
  changed_at: string
  /** Key of the last location looked at; the next step continues after it. */
  after_key: string
  scanned: number
  changed: number
  chunk_size: number
}

/** One job per party and policy version, so the next change finds the one it supersedes. */
export const policyChangeJobId = (party: PartyRef, version: number) => `locations-policy-${party.country_code}-${party.party_id}-v${version}`.toUpperCase()

/**
 * Replaces a party's sharing policy and starts pushing its effect. A location whose visibility changes for any peer
 * gets a new last_updated: the location as that peer is served it changed now, and a pull-only peer syncing with
 * `date_from` must find it in its next delta; receivers that already hold it would otherwise ignore an equal
 * last_updated. Newly entitled peers get a PUT and peers that lost it get the withdrawn view (push.ts).
 */
export async function applySharingPolicy(env: Env, db: Database, party: PartyRef, policy: SharingPolicy, now = new Date(), chunkSize = LOCATIONS_PER_STEP): Promise<{ stored: StoredPolicy; job: JobView }> {
  const owner = { country_code: party.country_code.toUpperCase(), party_id: party.party_id.toUpperCase() }
  await assertHostedCpo(db, owner)
  const replaced = (await getPolicy(db, owner))?.policy ?? null
  const stored = await putPolicy(db, owner, policy, now.getTime())
  const before = [...(await unfinishedPolicies(env, owner, stored.version - 1)), replaced]
  const state: PolicyChangeState = {
    party: owner, version: stored.version, before: dedupe(before), after: policy, changed_at: now.toISOString(), after_key: '', scanned: 0, changed: 0, chunk_size: chunkSize,
  }
  const job = await startJob(env, POLICY_CHANGE_JOB, state, policyChangeJobId(owner, stored.version))
  // Tariffs follow the locations that use them (docs/tariffs.md): few per party, pushed here rather than in the job,
  // so no earlier change is ever left half done for them and the replaced policy is all a peer's copy was pushed under.
  for (const listener of policyListeners) await listener(env, db, owner, replaced, policy)
  return { stored, job }
}

/** The `before` policies of the previous change when its pushes had not finished; that job is stopped here. */
async function unfinishedPolicies(env: Env, party: PartyRef, version: number): Promise<(SharingPolicy | null)[]> {
  if (version < 1) return []
  const previous = backgroundJob(env, policyChangeJobId(party, version))
  const job: JobView | undefined = await previous.cancel()
  if (!job || job.status === 'DONE') return []
  return ((await previous.state()) as PolicyChangeState).before
}

const dedupe = (policies: (SharingPolicy | null)[]) => [...new Map(policies.map((policy) => [JSON.stringify(policy), policy])).values()]

export const policyChangeJob: JobKind<PolicyChangeState> = {
  async step(env, state) {
    const objects = databaseFor(env, state.party)
    const [batch, peers] = await Promise.all([partyLocationsAfter(objects, OWN_SOURCE, state.party, state.after_key, state.chunk_size), listPeers(databaseFor(env))])
    const [policy, ...alsoUnder] = state.before.map((before) => before ?? undefined)
    let changed = 0
    let pushes = 0
    let scanned = 0
    for (const { location } of batch) {
      if (pushes >= PUSHES_PER_STEP) break
      scanned++
      const sawBefore = (peer: Peer) => [policy, ...alsoUnder].some((before) => mayView(before, peer, location))
      const seesAfter = (peer: Peer) => mayView(state.after, peer, location)
      if (!peers.some((peer) => sawBefore(peer) !== seesAfter(peer))) continue
      const touched = { ...location, last_updated: state.changed_at }
      const revision = await upsertLocation(objects, OWN_SOURCE, touched)
      if (!revision) continue // an owner write with a later time got there first
      pushes += await pushLocationChange(env, { location, policy, alsoUnder }, { location: touched, policy: state.after, revision })
      for (const listener of visibilityListeners) pushes += await listener(env, touched, sawBefore, seesAfter)
      changed++
    }
    const last = batch[scanned - 1]
    return {
      state: { ...state, after_key: last?.key ?? state.after_key, scanned: state.scanned + scanned, changed: state.changed + changed },
      done: scanned === batch.length && batch.length < state.chunk_size,
    }
  },
  progress: (state) => ({ party: `${state.party.country_code}*${state.party.party_id}`, policy_version: state.version, locations_scanned: state.scanned, changed_locations: state.changed }),
}
