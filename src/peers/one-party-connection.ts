import type { Endpoint, RoleGrant } from '../db/schema'
import { samePartyRef, type PartyRef } from '../ocpi/context'
import type { Endpoint211 } from '../ocpi/objects/credentials'
import type { OcpiVersion } from '../ocpi/versions'

// OCPI 2.1.1 connects one party with one party (credentials.md: one party_id and country_code, no role), and its
// version details list one URL per module, without a role (version_information_endpoint.md, "Endpoint class"). So on
// a 2.1.1 connection the sides are implied: the peer is a CPO or an eMSP, we act as the other, and each module's URL
// is the interface that side implements. Pure: callers read the facts (docs/ocpi-2.1.1.md, "Negotiation").

export type Side = 'CPO' | 'EMSP'

export const isSingleParty = (version: OcpiVersion | string | null | undefined) => version === '2.1.1'

/**
 * The side that implements each 2.1.1 module's Sender interface (the data owner, the one peers GET from); the other
 * side implements its Receiver. Commands: the CPO receives them, the eMSP's endpoint receives their results.
 */
const SENDER_SIDE: Readonly<Record<string, Side>> = { locations: 'CPO', tariffs: 'CPO', sessions: 'CPO', cdrs: 'CPO', tokens: 'EMSP', commands: 'EMSP' }

export const MODULES_211 = Object.keys(SENDER_SIDE)

export const otherSide = (side: Side): Side => (side === 'CPO' ? 'EMSP' : 'CPO')

const isSide = (role: string): role is Side => role === 'CPO' || role === 'EMSP'

/** The interface a party on `side` implements for a 2.1.1 module; undefined for a module 2.1.1 does not have. */
export function interfaceOf(moduleId: string, side: Side): Endpoint['role'] | undefined {
  const senderSide = SENDER_SIDE[moduleId]
  if (!senderSide) return undefined
  return senderSide === side ? 'SENDER' : 'RECEIVER'
}

/**
 * The side of a 2.1.1 peer: the role it holds (granted), else the role the operator granted it at invite or connect,
 * else the counterpart of the first CPO or eMSP party hosted here. Undefined only when we host neither.
 */
export function peerSide(peer: { roles: readonly { role: string }[]; grants?: readonly RoleGrant[] | null }, hosted: readonly { role: string }[]): Side | undefined {
  const held = peer.roles.map((role) => role.role).find(isSide)
  if (held) return held
  const granted = peer.grants?.map((grant) => grant.role).find(isSide)
  if (granted) return granted
  const ours = hosted.map((party) => party.role).find(isSide)
  return ours ? otherSide(ours) : undefined
}

/**
 * Our party on a 2.1.1 connection with a peer on `side`: the one the operator chose for the connection, else the
 * first hosted party (country_code, party_id order) on the other side.
 */
export function ourPartyFacing<Party extends PartyRef & { role: string }>(side: Side | undefined, hosted: readonly Party[], chosen?: PartyRef | null): Party | undefined {
  if (!side) return undefined
  return hosted.find((party) => party.role === otherSide(side) && (!chosen || samePartyRef(party, chosen)))
}

/**
 * The party a 2.1.1 peer's objects belong to (they do not name it, credentials.md): its one party, in `role` when
 * given. Undefined for a peer of a later version, whose objects name their party.
 */
export function ownerOf211(peer: { version?: string | null; roles: readonly (PartyRef & { role: string })[] }, role?: Side): PartyRef | undefined {
  if (!isSingleParty(peer.version)) return undefined
  const party = peer.roles.find((candidate) => !role || candidate.role === role)
  return party && { country_code: party.country_code, party_id: party.party_id }
}

/** A 2.1.1 peer's endpoints with the interface each one is, for the peer on `side`; modules 2.1.1 does not define are dropped. */
export function endpointsOf211(endpoints: readonly Endpoint211[], side: Side): Endpoint[] {
  return endpoints.flatMap((endpoint) => {
    if (endpoint.identifier === 'credentials') return [{ identifier: 'credentials', role: 'SENDER' as const, url: endpoint.url }]
    const role = interfaceOf(endpoint.identifier, side)
    return role ? [{ identifier: endpoint.identifier, role, url: endpoint.url }] : []
  })
}
