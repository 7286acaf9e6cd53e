import { sharedOnlyWithRoles } from './shared-with'
import type { Context } from 'hono'
import type { AdminEnv } from '../admin/context'
import { findHostedParty, listHostedParties } from './parties'
import type { OcpiEnv, PartyRef } from '../ocpi/context'
import { samePartyRef } from '../ocpi/context'
import { OcpiError } from '../ocpi/errors'
import { OCPI_FROM_COUNTRY, OCPI_FROM_PARTY, OCPI_TO_COUNTRY, OCPI_TO_PARTY } from '../ocpi/headers'
import type { Role } from '../ocpi/types'
import { ourPartyFacing, ownerOf211, peerSide, isSingleParty } from './one-party-connection'

/**
 * The hosted party a request addresses: the OCPI-to headers (transport_and_format, "Message Routing"), or, without
 * them, the only hosted party with the role. Unknown receiver: 4001.
 */
export async function addressedParty(c: Context<OcpiEnv>, role?: Role) {
  if (isSingleParty(c.get('version'))) return partyFacing211(c, role)
  const named = routedTo(c)
  if (named) {
    const { country_code, party_id } = named
    const party = await findHostedParty(c.get('db'), { country_code, party_id }, role)
    if (!party) throw new OcpiError(4001, `Unknown receiver ${country_code}*${party_id}${role ? ` with role ${role}` : ''}`)
    return party
  }
  const candidates = (await listHostedParties(c.get('db'))).filter((party) => !role || party.role === role)
  const [only, ...others] = candidates
  if (only && others.length === 0) return only
  throw new OcpiError(2001, `${OCPI_TO_COUNTRY}/${OCPI_TO_PARTY} headers are required: this platform hosts ${candidates.length} ${role ?? ''} parties`.replace(/\s+/g, ' '), {
    path: OCPI_TO_COUNTRY,
  })
}

/** On a 2.1.1 connection the peer addresses our one party facing it (docs/ocpi-2.1.1.md, "Negotiation"). */
async function partyFacing211(c: Context<OcpiEnv>, role?: Role) {
  const hosted = await listHostedParties(c.get('db'))
  const party = ourPartyFacing(peerSide(c.get('peer'), hosted), hosted, c.get('peer').own_party)
  if (!party || (role && party.role !== role)) throw new OcpiError(4001, `No ${role ?? ''} party of this platform faces this OCPI 2.1.1 connection`.replace(/\s+/g, ' '))
  return party
}

/**
 * The party the OCPI-to headers name, or none. On a direct connection (the peer holds no HUB role) headers naming
 * one of the caller's own parties are read as absent: "Party to Party (without Hub)" wants TO = the receiving party,
 * but debugging tools (the EVRoaming ocpi-tool) send their own party there, and such a request can only be meant for
 * this platform, so it is answered as one without routing headers instead of 4001 (docs/interop.md).
 */
export function routedTo(c: Context<OcpiEnv>): PartyRef | undefined {
  if (isSingleParty(c.get('version'))) return undefined
  const country_code = c.req.header(OCPI_TO_COUNTRY)
  const party_id = c.req.header(OCPI_TO_PARTY)
  if (!country_code || !party_id) return undefined
  const party = { country_code, party_id }
  const roles = c.get('peer')?.roles ?? []
  const direct = !roles.some((role) => role.role === 'HUB')
  return direct && roles.some((role) => samePartyRef(role, party)) ? undefined : party
}

/**
 * Whether a peer with these credentials roles speaks for `party` — in `role` when given (the role that owns the
 * module's data: CPO for locations, tariffs, sessions and CDRs; EMSP for tokens) — or is a hub.
 */
export const representsAs = (roles: ReadonlyArray<PartyRef & { role: string }>, party: PartyRef, role?: Role) =>
  roles.some((candidate) => candidate.role === 'HUB') ||
  roles.some((candidate) => (!role || candidate.role === role) && samePartyRef(candidate, party))

/** True when the authenticated peer may speak for this party (in `role`, when given), or it is a hub. */
export function peerRepresents(c: Context<OcpiEnv>, party: PartyRef, role?: Role): boolean {
  return representsAs(c.get('peer').roles, party, role)
}

/**
 * The peer's party a request comes from: OCPI-from headers (must be one of its roles), or its only party.
 * A peer naming a party it does not represent gets 2001 and nothing is read or written.
 */
export function requestingParty(c: Context<OcpiEnv>): PartyRef | undefined {
  const country_code = c.req.header(OCPI_FROM_COUNTRY)
  const party_id = c.req.header(OCPI_FROM_PARTY)
  // 2.1.1 has no routing headers: a 2.1.1 peer is its one party, whatever it sends.
  if (country_code && party_id && !isSingleParty(c.get('version'))) {
    const party = { country_code: country_code.toUpperCase(), party_id: party_id.toUpperCase() }
    if (!peerRepresents(c, party)) throw new OcpiError(2001, `This peer does not represent ${country_code}*${party_id}`, { path: OCPI_FROM_COUNTRY })
    return party
  }
  const distinct = new Map(c.get('peer').roles.map((role) => [`${role.country_code}*${role.party_id}`.toUpperCase(), role]))
  const [only, ...others] = distinct.values()
  return only && others.length === 0 ? { country_code: only.country_code.toUpperCase(), party_id: only.party_id.toUpperCase() } : undefined
}

/**
 * Refuses a push or request about objects of a party the peer does not represent (transport_and_format, "Errors"), in
 * the module's data-owner role when given: 2001, and nothing is read or written.
 */
export function assertPeerRepresents(c: Context<OcpiEnv>, party: PartyRef, role?: Role) {
  if (!peerRepresents(c, party, role)) {
    const roles = role ? `${role} roles` : 'registered roles'
    throw new OcpiError(2001, `Party ${party.country_code}*${party.party_id} is not one of this peer's ${roles}`, { path: 'country_code' })
  }
}

/**
 * The party the objects of a request's body belong to when its version does not name it (2.1.1): the peer's one
 * party, in `role`. Undefined for later versions, whose objects name their party.
 */
export const ownerOfBody = (c: Context<OcpiEnv>, role?: 'CPO' | 'EMSP') => ownerOf211({ version: c.get('version'), roles: c.get('peer').roles }, role)

/** The `{country_code}/{party_id}` of a request path, upper-cased as parties are stored. */
export const partyInPath = (c: Context): PartyRef => ({
  country_code: c.req.param('country_code')!.toUpperCase(),
  party_id: c.req.param('party_id')!.toUpperCase(),
})

/** The party in the URL, which must be hosted here with `role`: only an owner writes its objects. */
export async function hostedPartyFromPath(c: Context<AdminEnv>, role: Role): Promise<PartyRef> {
  const party = partyInPath(c)
  if (!(await findHostedParty(c.get('db'), party, role))) throw new OcpiError(2003, `${party.country_code}*${party.party_id} is not a ${role} hosted here`)
  return party
}

/** Objects that name a driver's token (tokens, driver tariffs) go to CPOs and to hubs serving them, never to other eMSPs. */
export function assertPeerIsCpoOrHub(c: Context<OcpiEnv>, what: string) {
  const refusal = sharedOnlyWithRoles(c.get('peer'), what, ['CPO', 'HUB'])
  if (refusal) throw new OcpiError(2000, refusal)
}
