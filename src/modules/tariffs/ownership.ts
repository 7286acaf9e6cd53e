import type { Context } from 'hono'
import type { OcpiEnv, PartyRef } from '../../ocpi/context'
import { samePartyRef } from '../../ocpi/context'
import { OcpiError } from '../../ocpi/errors'
import type { Role } from '../../ocpi/types'

type PeerRole = PartyRef & { role: string }

/** Whether a peer with these credentials roles speaks for `party` as `role` (the module's data owner), or is a hub. */
export const representsAs = (roles: readonly PeerRole[], party: PartyRef, role: Role) =>
  roles.some((candidate) => candidate.role === 'HUB') || roles.some((candidate) => candidate.role === role && samePartyRef(candidate, party))

/**
 * A push or read about a party's objects is allowed only when the peer represents that party in the role that owns
 * the module's data (Tariffs and Locations: CPO; driver tariffs: EMSP), or is a hub; else 2001 and nothing is read or
 * written.
 */
export function assertPeerOwns(c: Context<OcpiEnv>, party: PartyRef, role: Role) {
  if (representsAs(c.var.peer.roles, party, role)) return
  throw new OcpiError(2001, `Party ${party.country_code}*${party.party_id} is not one of this peer's ${role} roles`, { path: 'country_code' })
}
