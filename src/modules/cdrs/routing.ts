import { sharedOnlyWithRoles } from '../../peers/shared-with'
import type { Context } from 'hono'
import type { Database } from '../../db/client'
import type { RecordListFilter } from '../../db/token-records'
import { samePartyRef, type OcpiEnv, type PartyRef } from '../../ocpi/context'
import { invalid, OcpiError } from '../../ocpi/errors'
import { OCPI_FROM_COUNTRY, OCPI_FROM_PARTY } from '../../ocpi/headers'
import { addressedParty, assertPeerRepresents, peerRepresents, requestingParty, routedTo } from '../../peers/routing'
import { findHostedParty } from '../../peers/parties'
import { hubPartyOf } from '../../peers/hub-routing'
import { isSingleParty } from '../../peers/one-party-connection'
import { peersRepresenting } from '../../peers/store'
import type { PushAudience } from '../../push/types'
import type { CdrToken } from '../../ocpi/objects/cdr'

// Who may see, send and receive sessions and CDRs. Both belong to a CPO (country_code/party_id) and concern the token
// of one eMSP (cdr_token.country_code/party_id): the CPO sends them to that eMSP, and only to it.

export const tokenPartyOf = (token: Pick<CdrToken, 'country_code' | 'party_id'>): PartyRef => ({
  country_code: token.country_code.toUpperCase(),
  party_id: token.party_id.toUpperCase(),
})

/** Push audience: the peers that represent the token's eMSP, each addressed (OCPI-to) to that party. */
export async function tokenPartyAudience(db: Database, token: CdrToken): Promise<PushAudience> {
  const party = tokenPartyOf(token)
  const peerIds = new Set(await peersRepresenting(db, party))
  return (peer) => (peerIds.has(peer.id) ? party : undefined)
}

/**
 * Sender side: which token parties' records the calling peer may pull. The OCPI-from party when it names one (checked
 * against its roles), else every party it represents; nothing narrower for a hub, which routes for many.
 */
export function visibleTokenPartiesFilter(c: Context<OcpiEnv>): Pick<RecordListFilter, 'tokenParties' | 'tokenPartyOfPeer'> {
  const from = namedFromParty(c)
  if (from) return { tokenParties: [from] }
  if (c.get('peer').roles.some((role) => role.role === 'HUB')) return {}
  return { tokenPartyOfPeer: c.get('peer').id }
}

/**
 * Why a pull of sessions or CDRs is empty for this peer whatever is stored: they go to the eMSP of the driver's token
 * (and to hubs routing for it), so a peer holding neither role never sees one.
 */
export function emptyForRoles(c: Context<OcpiEnv>, what: string): string | undefined {
  return sharedOnlyWithRoles(c.get('peer'), what, ['EMSP', 'HUB'], "the token's ")
}

/**
 * Sender side: the hosted CPO the request addresses with OCPI-to, if it names one (else all hosted CPOs answer). A
 * 2.1.1 connection is with our one CPO party facing the peer (docs/ocpi-2.1.1.md, "Negotiation").
 */
export async function addressedOwners(c: Context<OcpiEnv>): Promise<PartyRef[] | undefined> {
  if (!routedTo(c) && !isSingleParty(c.get('version'))) return undefined
  const party = await addressedParty(c, 'CPO')
  return [{ country_code: party.country_code, party_id: party.party_id }]
}

/** True when the calling peer may see this record: it represents the token's party (or is a hub). */
export function peerMaySee(c: Context<OcpiEnv>, record: { cdr_token: CdrToken }): boolean {
  const party = tokenPartyOf(record.cdr_token)
  const from = namedFromParty(c)
  return from ? samePartyRef(from, party) : peerRepresents(c, party)
}

/**
 * The party an OCPI-from header names (2001 unless the peer represents it). Only an explicit header narrows what a
 * peer sees: requestingParty's fallback to a peer's only role would hide everything from a single-role hub.
 */
function namedFromParty(c: Context<OcpiEnv>): PartyRef | undefined {
  const from = c.req.header(OCPI_FROM_COUNTRY) && c.req.header(OCPI_FROM_PARTY) ? requestingParty(c) : undefined
  // A hub asking in its own name ("GET All via Hubs": FROM = the requesting party) asks for its whole view, not for
  // the records of a token party named like the hub.
  const hub = hubPartyOf(c.get('peer'))
  return from && hub && samePartyRef(from, hub) ? undefined : from
}

/**
 * Receiver side, 2.1.1: a session or CDR names its token by auth_id only (mod_sessions.md 3.1), read without a party.
 * On a 2.1.1 connection the token can only be of our one eMSP party facing the peer, so the record takes that party;
 * records of later versions are returned as they are.
 */
export async function withTokenParty211<Record extends { cdr_token?: CdrToken }>(c: Context<OcpiEnv>, record: Record): Promise<Record> {
  if (!isSingleParty(c.get('version')) || !record.cdr_token) return record
  const { country_code, party_id } = await addressedParty(c, 'EMSP')
  return { ...record, cdr_token: { ...record.cdr_token, country_code, party_id } }
}

/**
 * Receiver side: a pushed record must come from a peer representing its CPO (transport_and_format, "Errors"), and be
 * for a party this platform serves: the OCPI-to party when named, else the token's eMSP.
 */
export async function assertMayReceive(c: Context<OcpiEnv>, record: { country_code: string; party_id: string; cdr_token: CdrToken }) {
  assertPeerRepresents(c, record, 'CPO')
  if (routedTo(c)) {
    await addressedParty(c)
    return
  }
  if (!(await findHostedParty(c.get('db'), tokenPartyOf(record.cdr_token)))) {
    throw new OcpiError(2001, `Token party ${record.cdr_token.country_code}*${record.cdr_token.party_id} is not served by this platform`, { path: 'cdr_token.party_id' })
  }
}

/** Receiver side, GET by URL: a peer only reads records of a CPO it represents as CPO; anything else is unknown to it. */
export function assertPeerOwns(c: Context<OcpiEnv>, owner: PartyRef, what: string) {
  if (!peerRepresents(c, owner, 'CPO')) throw OcpiError.unknownObject(what)
}

/** A pushed object's ids, when present, must be those of its URL (transport_and_format, "Errors": advised 2001). */
export function assertSameIds(ref: { country_code: string; party_id: string; id: string }, body: { country_code?: string; party_id?: string; id?: string }) {
  for (const field of ['country_code', 'party_id', 'id'] as const) {
    const value = body[field]
    if (value !== undefined && value.toUpperCase() !== ref[field].toUpperCase()) throw invalid(field, `${value} differs from the URL's ${ref[field]}`)
  }
}
