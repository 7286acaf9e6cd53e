import { z } from 'zod'
import type { PartyRef } from '../context'
import { CiString, Role } from '../types'

/**
 * Data-sharing policy of one hosted party (B1.5, docs/locations.md): what a peer may see of the party's locations,
 * on pull (sender GETs) and on push alike. Pure: no I/O, tested alone.
 *
 * A grant is 'all' (every published location), 'none', or a list of location ids. A list is also the only way to share
 * a `publish: false` location: mod_locations says such a location "SHALL not be shown ... unless it is to the owner of
 * a Token in the publish_allowed_to list", so it goes only to the peers (the eMSPs of those tokens) named for it.
 */
export const Grant = z.union([z.literal('all'), z.literal('none'), z.array(CiString(36)).max(10_000)])
export type Grant = z.infer<typeof Grant>

export const SharingPolicy = z.object({
  /** Peers matching no entry below. */
  default: z.enum(['all', 'none']),
  /** By peer_id; wins over `roles`. */
  peers: z.record(z.string().min(1).max(64), Grant).optional(),
  /** By a credentials role of the peer (EMSP, NSP, NAP, ...); a peer with several roles gets the union of their grants. */
  roles: z.partialRecord(Role, Grant).optional(),
})
export type SharingPolicy = z.infer<typeof SharingPolicy>

/** Without a policy a party shares its published locations with every connected peer, as OCPI assumes. */
export const DEFAULT_POLICY: SharingPolicy = { default: 'all' }

/** What one peer may see of one party: every published location, plus these ids (upper-cased; CiString). */
export interface Visibility { published: boolean; ids: ReadonlySet<string> }

/** What one party shows one viewer. */
export interface PartyView { party: PartyRef; visibility: Visibility }

export interface Viewer { id: string; roles: ReadonlyArray<{ role: string }> }
export interface Shareable { id: string; publish: boolean }

const NOTHING: Visibility = { published: false, ids: new Set() }

function visibilityOf(grant: Grant): Visibility {
  if (grant === 'all') return { published: true, ids: new Set() }
  if (grant === 'none') return NOTHING
  return { published: false, ids: new Set(grant.map((id) => id.toUpperCase())) }
}

function union(a: Visibility, b: Visibility): Visibility {
  return { published: a.published || b.published, ids: new Set([...a.ids, ...b.ids]) }
}

export function visibilityFor(policy: SharingPolicy | undefined, viewer: Viewer): Visibility {
  const effective = policy ?? DEFAULT_POLICY
  const byPeer = effective.peers?.[viewer.id]
  if (byPeer !== undefined) return visibilityOf(byPeer)
  const byRoles = viewer.roles
    .map(({ role }) => effective.roles?.[role as Role])
    .filter((grant): grant is Grant => grant !== undefined)
  if (byRoles.length > 0) return byRoles.map(visibilityOf).reduce(union, NOTHING)
  return visibilityOf(effective.default)
}

export function isVisible(visibility: Visibility, location: Shareable): boolean {
  return (visibility.published && location.publish) || visibility.ids.has(location.id.toUpperCase())
}

export const mayView = (policy: SharingPolicy | undefined, viewer: Viewer, location: Shareable) => isVisible(visibilityFor(policy, viewer), location)

export const seesNothing = (visibility: Visibility) => !visibility.published && visibility.ids.size === 0
