import type { Context } from 'hono'
import type { OcpiEnv, PartyRef } from '../../ocpi/context'
import { samePartyRef } from '../../ocpi/context'
import { OcpiError } from '../../ocpi/errors'
import type { Role } from '../../ocpi/types'

/**
 * A push or read about a party's objects is allowed only when the peer represents that party in the role that owns
 * the module's data (Tariffs: CPO; driver tariffs: EMSP), or is a hub; else 2001 and nothing is read or written.
 */
export function assertPeerOwns(c: Context<OcpiEnv>, party: PartyRef, role: Role) {
  const roles = c.var.peer.roles
  if (roles.some((candidate) => candidate.role === 'HUB') || roles.some((candidate) => candidate.role === role && samePartyRef(candidate, party))) return
  throw new OcpiError(2001, `Party ${party.country_code}*${party.party_id} is not one of this peer's ${role} roles`, { path: 'country_code' })
}
