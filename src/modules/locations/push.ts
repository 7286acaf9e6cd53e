import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import type { OcpiVersion } from '../../ocpi/versions'
import { wireBodies } from '../../ocpi/version-adapters'
import type { Peer } from '../../peers/store'
import { publish } from '../../push/publish'
import type { PushChange } from '../../push/types'
import { mayView, type SharingPolicy } from '../../ocpi/objects/sharing-policy'
import { type Location } from '../../ocpi/objects/location'
import { locationVersions } from '../../ocpi/objects/version-maps'

/** A location as one side of a change: the object and the policy of its party that governed who saw it. */
export interface SharedState {
  location: Location
  policy: SharingPolicy | undefined
  /** Earlier policies a peer may still hold a view under, when the pushes of a policy change were cut short (policy-change.ts). */
  alsoUnder?: (SharingPolicy | undefined)[]
  /** The revision the write committed (after-state only): every push of this write is bound to it. */
  revision?: number
}

/** The owner's write as it should reach a peer that saw the location before and still sees it (e.g. a PATCH of one EVSE). */
export interface WrittenChange { method: 'PUT' | 'PATCH'; path: string[]; bodies: Partial<Record<OcpiVersion, unknown>> }

export const locationPath = (location: Pick<Location, 'country_code' | 'party_id' | 'id'>) => [location.country_code, location.party_id, location.id]
const objectKey = (location: Location) => `locations/${locationPath(location).join('/')}`.toUpperCase()

/**
 * The view of a location a peer keeps after it may no longer see it. OCPI has no DELETE for locations
 * (mod_locations "Flow and Lifecycle"), and marking the EVSEs REMOVED would tell the peer the chargers are gone,
 * which is false. `publish: false` with no `publish_allowed_to` is what the spec gives for "SHALL not be shown in an
 * app or on a website": the peer keeps the object for sessions already linked to it, and shows it to nobody.
 */
export function withdrawnView(location: Location): Location {
  const { publish_allowed_to: _tokens, ...rest } = location
  return { ...rest, publish: false }
}

/** The party of a peer a push is addressed to (OCPI-to): its first non-CPO role, as locations go to receivers. */
export function receivingParty(peer: Pick<Peer, 'roles'>): PartyRef | undefined {
  const role = peer.roles.find((candidate) => candidate.role !== 'CPO') ?? peer.roles[0]
  return role && { country_code: role.country_code, party_id: role.party_id }
}

const ownerOf = ({ country_code, party_id }: Location): PartyRef => ({ country_code, party_id })

function putOf(location: Location, version: number | undefined): PushChange {
  return { module: 'locations', method: 'PUT', path: locationPath(location), bodies: wireBodies(locationVersions, location), from: ownerOf(location), objectKey: objectKey(location), version }
}

/**
 * Pushes one owner write to every peer, each according to what it could see before and can see after (B1.5):
 * - saw it and still does: the write as made (`written`, e.g. a PATCH), or the whole location when there is none;
 * - newly sees it: the whole location (PUT), since it has nothing to apply a PATCH to;
 * - no longer sees it: the withdrawn view (see withdrawnView);
 * - never saw it: nothing.
 * Each peer falls in exactly one case, so each gets one push for this write, in its outbox's order. Returns how many
 * pushes were queued.
 */
export async function pushLocationChange(env: Env, before: SharedState | undefined, after: SharedState, written?: WrittenChange): Promise<number> {
  const sawBefore = (peer: Peer) => before !== undefined && [before.policy, ...(before.alsoUnder ?? [])].some((policy) => mayView(policy, peer, before.location))
  const seesAfter = (peer: Peer) => mayView(after.policy, peer, after.location)
  const key = objectKey(after.location)
  const whole = putOf(after.location, after.revision)
  // A PATCH carries the whole committed location: the outbox sends that instead when it cannot place the PATCH.
  const asWritten: PushChange = written ? { module: 'locations', ...written, from: ownerOf(after.location), objectKey: key, version: after.revision, snapshot: { path: whole.path, bodies: whole.bodies } } : whole
  const withdrawn = putOf(withdrawnView(after.location), after.revision)
  const queued = await Promise.all([
    publish(env, asWritten, (peer) => (sawBefore(peer) && seesAfter(peer) ? receivingParty(peer) : undefined)),
    publish(env, whole, (peer) => (!sawBefore(peer) && seesAfter(peer) ? receivingParty(peer) : undefined)),
    publish(env, withdrawn, (peer) => (sawBefore(peer) && !seesAfter(peer) ? receivingParty(peer) : undefined)),
  ])
  return queued.reduce((pushes, recipients) => pushes + recipients.length, 0)
}
