import { seesNothing, type PartyView } from '../ocpi/objects/sharing-policy'
import type { Role } from '../ocpi/types'

// A pull that returns nothing because of who the caller is (its roles, or what a sharing policy grants it) says so in
// its status_message, rather than looking like a platform without data. Every such message is written here.

const ROLE_NAMES: Partial<Record<Role, string>> = { EMSP: 'eMSP', HUB: 'hub' }

/** "`what` are shared with `audience` only". */
export const sharedOnlyWith = (what: string, audience: string) => `${what} are shared with ${audience} only`

/** The message when `peer` holds none of `roles` (undefined when it holds one), e.g. "CDRs are shared with the token's eMSP and hub peers only". */
export function sharedOnlyWithRoles(peer: { roles: ReadonlyArray<{ role: string }> }, what: string, roles: readonly Role[], whose = ''): string | undefined {
  if (peer.roles.some((held) => roles.includes(held.role as Role))) return undefined
  const names = roles.map((role) => ROLE_NAMES[role] ?? role)
  const listed = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('')
  return sharedOnlyWith(what, `${whose}${listed} peers`)
}

/** The message when the sharing policies of the CPOs asked (`views`, one per party) grant the peer nothing at all. */
export function sharedOnlyByPolicy(what: string, views: readonly PartyView[]): string | undefined {
  const grantsNothing = views.length > 0 && views.every((view) => seesNothing(view.visibility))
  return grantsNothing ? sharedOnlyWith(what, "the peers and roles the CPO's sharing policy names") : undefined
}
