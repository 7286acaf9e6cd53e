import { PartyParam } from '../../admin/party-param'
import { z } from 'zod'
import type { Database } from '../../db/client'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import { OcpiError } from '../../ocpi/errors'
import { CiString, CountryCode, DisplayText, toEpochMs } from '../../ocpi/types'
import { listHostedParties } from '../../peers/parties'
import { getPeer, peersRepresenting } from '../../peers/store'
import { decideFromRealtime, planAuthorization, unknownTokenWithoutOwner, type AuthorizationDecision, type CpoPolicyOptions } from './authorization-policy'
import type { AuthorizationEntry } from './authorization-store'
import { recordAuthorizationSoon } from './authorization-log'
import { requestRealtimeAuthorization, tokensSenderOf, type RealtimeResult, type TokensSender } from './emsp-client'
import { ownLocationCountry } from './location-country'
import { isTokenTypeIn221, TokenType, type LocationReferences, type Token } from '../../ocpi/objects/token'
import { findReceivedTokensByUid, putReceivedToken, type StoredToken } from './store'
import { logError } from '../../ocpi/log'
import { Memo } from '../../db/memo'

/** What a charge point (the built-in simulator or a CSMS) asks: may this token charge here? */
export const AuthorizeRequest = z.object({
  token_uid: CiString(36).min(1),
  type: TokenType.optional(),
  location_id: CiString(36).optional(),
  evse_uids: z.array(CiString(36)).optional(),
  /** Country of the charge point, when its location is not one of the CPO's stored locations. */
  country_code: CountryCode.optional(),
  /** The hosted CPO asking (OCPI-from of the real-time request); optional when the platform hosts one CPO. */
  party: PartyParam.optional(),
  /** Owner of a token the cache does not know (e.g. from a CSMS that knows the card's issuer). */
  token_party: PartyParam.optional(),
})
export type AuthorizeRequest = z.infer<typeof AuthorizeRequest>

export interface AuthorizeResult extends AuthorizationDecision {
  authorization_reference?: string
  token?: Token
  location?: LocationReferences
  info?: DisplayText
  /** Why the eMSP could not be asked or what it said besides AuthorizationInfo. */
  message?: string
}

/**
 * The CPO-side decision of B3.1: look the token up in the cache, then decide by its whitelist (authorization-policy.ts),
 * asking the token's eMSP in real time when the whitelist says so, with a short timeout. Every decision is recorded,
 * off the response path (authorization-log.ts).
 */
export async function authorizeAtChargePoint(env: Env, db: Database, request: AuthorizeRequest, keepAlive: (work: Promise<unknown>) => void): Promise<AuthorizeResult> {
  const cpo = await askingCpo(db, request.party)
  const { result, token, peerId } = await decideAtChargePoint(env, db, cpo, request)
  recordAuthorizationSoon(db, {
    side: 'CPO',
    party: cpo,
    token,
    location_id: request.location_id ?? null,
    evse_uids: request.evse_uids ?? null,
    allowed: result.allowed,
    reason: result.reason,
    source: result.source,
    authorization_reference: result.authorization_reference ?? null,
    peer_id: peerId,
  }, keepAlive)
  return result
}

/** The decision, the token it was about (owner when known) and the eMSP peer asked, if one was. */
interface ChargePointDecision {
  result: AuthorizeResult
  token: AuthorizationEntry['token']
  peerId: string | null
}

async function decideAtChargePoint(env: Env, db: Database, cpo: PartyRef, request: AuthorizeRequest): Promise<ChargePointDecision> {
  // Several eMSPs may have issued the same uid; a named owner picks one, otherwise the most recently updated wins.
  const [cached] = await findReceivedTokensByUid(db, request.token_uid, request.type, request.token_party)
  // Where the charge point is matters only to a cached token limited to some countries: skip the read otherwise.
  const whereMatters = !request.country_code && request.location_id && !!cached?.allowed_countries?.length
  const country_code = request.country_code ?? (whereMatters ? await ownLocationCountry(db, cpo, request.location_id!) : undefined)
  const plan = planAuthorization(
    cached && { valid: cached.token.valid, whitelist: cached.token.whitelist, allowed_countries: cached.allowed_countries },
    { country_code },
    policyOptions(env),
  )
  const tokenView = cached ? { token: cached.token } : {}
  const type = request.type ?? cached?.token.type ?? 'RFID'
  const owner = cached ? { country_code: cached.token.country_code, party_id: cached.token.party_id } : request.token_party ?? ownerOfEmaid(request.token_uid, type)
  const asked = { uid: request.token_uid, type, country_code: owner?.country_code ?? null, party_id: owner?.party_id ?? null }
  if (plan.kind === 'decided') return { result: { ...plan.decision, ...tokenView }, token: asked, peerId: null }
  if (!owner) return { result: unknownTokenWithoutOwner(), token: asked, peerId: null }

  const location = request.location_id ? { location_id: request.location_id, evse_uids: request.evse_uids } : undefined
  const ask = (sender: TokensSender | undefined): Promise<RealtimeResult> => sender
    ? requestRealtimeAuthorization(sender, { uid: request.token_uid, type, location, from: cpo, to: owner, timeoutMs: authorizeTimeoutMs(env) })
    : Promise.resolve({ outcome: { kind: 'unreachable' }, message: `No connected peer serves tokens of ${owner.country_code}*${owner.party_id}` })
  const key = sendersKey(owner, type, cached?.peer_id ?? null)
  const read = () => ownerTokensSender(db, owner, type, cached?.peer_id ?? null)
  const found = await rememberedTokensSender(key, read)
  let sender = found.sender
  let result = await ask(sender)
  if (found.remembered && (result.outcome.kind === 'unreachable' || result.outcome.kind === 'refused')) {
    // The remembered peer may have changed since (a new token after a renewal on another isolate: the eMSP refuses
    // the old one, or a new endpoint): read it again, and ask again only if it changed, so an eMSP that is really down
    // or refuses for another reason is not asked twice.
    sendersByOwner.delete(key)
    const again = await rememberedTokensSender(key, read)
    if (!sameSender(again.sender, sender)) {
      sender = again.sender
      result = await ask(sender)
    }
  }
  const decision = decideFromRealtime(plan, result.outcome)
  if (sender && result.info) await cacheAnsweredToken(db, sender, owner, cached, result)
  const token = result.info?.token ?? cached?.token
  const answer: AuthorizeResult = {
    ...decision,
    ...(token ? { token } : {}),
    ...(decision.source === 'realtime' && result.info?.authorization_reference ? { authorization_reference: result.info.authorization_reference } : {}),
    ...(decision.source === 'realtime' && result.info?.location ? { location: result.info.location } : {}),
    ...(result.info?.info ? { info: result.info.info } : {}),
    ...(result.message ? { message: result.message } : {}),
  }
  return { result: answer, token: asked, peerId: sender?.peer.id ?? null }
}

/**
 * An EMAID names its issuer: "DE-8AC-C12E46L89" is country DE, provider 8AC (2.3.0 TokenType: the CPO "learns which
 * Party issued the Token from the Charging Station"). Other uids (RFID hidden ids, app ids) say nothing about the owner.
 */
export function ownerOfEmaid(uid: string, type: string): PartyRef | undefined {
  if (type.toUpperCase() !== 'EMAID') return undefined
  const [, country_code, party_id] = /^([A-Za-z]{2})[-*]?([A-Za-z0-9]{3})[-*]?[A-Za-z0-9]/.exec(uid) ?? []
  return country_code && party_id ? { country_code: country_code.toUpperCase(), party_id: party_id.toUpperCase() } : undefined
}

async function askingCpo(db: Database, party: PartyRef | undefined): Promise<PartyRef> {
  const cpos = (await listHostedParties(db)).filter((hosted) => hosted.role === 'CPO')
  if (party) {
    const hosted = cpos.find((cpo) => cpo.country_code === party.country_code && cpo.party_id === party.party_id)
    if (!hosted) throw new OcpiError(2001, `${party.country_code}*${party.party_id} is not a CPO hosted here`, { path: 'party', http_status: 404 })
    return party
  }
  const [only, ...others] = cpos
  if (only && others.length === 0) return { country_code: only.country_code, party_id: only.party_id }
  throw new OcpiError(2001, `party is required: this platform hosts ${cpos.length} CPOs`, { path: 'party' })
}

// Which peer to ask for an owner's tokens is read from the peers, their roles and endpoints: settings, remembered per
// isolate within the memo staleness (src/db/memo.ts) like the peer behind a token, so a real-time decision reads only
// the token from D1. A registration or management write on this isolate forgets it at once.
const sendersByOwner = new Memo<TokensSender | undefined>(1_000)

const sendersKey = (owner: PartyRef, type: string, preferredPeerId: string | null) =>
  `${owner.country_code}*${owner.party_id}|${type.toUpperCase()}|${preferredPeerId ?? ''}`

async function rememberedTokensSender(key: string, read: () => Promise<TokensSender | undefined>) {
  let remembered = true
  const sender = await sendersByOwner.get(key, () => {
    remembered = false
    return read()
  })
  return { sender, remembered }
}

const sameSender = (a: TokensSender | undefined, b: TokensSender | undefined) =>
  a?.peer.id === b?.peer.id && a?.url === b?.url && a?.token === b?.token && a?.version === b?.version

/**
 * The peer to ask: the one that sent us the token if it still can be asked, else any peer representing the owner.
 * A 2.2.1 connection cannot carry a type 2.2.1 does not have (EMAID), so it is passed over for such tokens.
 */
async function ownerTokensSender(db: Database, owner: PartyRef, type: string, preferredPeerId: string | null): Promise<TokensSender | undefined> {
  const peerIds = await peersRepresenting(db, owner)
  // The peer that sent the token may be a hub, which holds no role of the owner (peer_roles) yet routes for it.
  const ordered = preferredPeerId ? [preferredPeerId, ...peerIds.filter((id) => id !== preferredPeerId)] : peerIds
  for (const peerId of ordered) {
    const peer = await getPeer(db, peerId)
    const sender = peer && peer.status === 'CONNECTED' ? tokensSenderOf(peer) : undefined
    if (sender && (sender.version !== '2.2.1' || isTokenTypeIn221(type))) return sender
  }
  return undefined
}

/** AuthorizationInfo carries "the complete Token object": keep the cache as fresh as the eMSP's answer. */
async function cacheAnsweredToken(db: Database, sender: TokensSender, owner: PartyRef, cached: StoredToken | undefined, result: RealtimeResult) {
  const token = result.info!.token
  const ownedByOwner = token.country_code.toUpperCase() === owner.country_code && token.party_id.toUpperCase() === owner.party_id
  if (!ownedByOwner || (cached && toEpochMs(token.last_updated) <= toEpochMs(cached.token.last_updated))) return
  try {
    await putReceivedToken(db, sender.peer.id, token, result.allowed_countries)
  } catch (error) {
    // The driver's decision stands; the cache catches up with the next push or pull.
    logError('tokens: caching the answered token failed', error)
  }
}

const DEFAULT_AUTHORIZE_TIMEOUT_MS = 3_000

/** A driver waits at the charge point: real-time authorize gets a short timeout of its own (AUTHORIZE_TIMEOUT_MS). */
export function authorizeTimeoutMs(env: Pick<Env, 'AUTHORIZE_TIMEOUT_MS'>): number {
  const configured = Number(env.AUTHORIZE_TIMEOUT_MS)
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_AUTHORIZE_TIMEOUT_MS
}

function policyOptions(env: Pick<Env, 'AUTHORIZE_ALLOWED_WHITELIST'>): CpoPolicyOptions {
  return { allowedWhitelist: env.AUTHORIZE_ALLOWED_WHITELIST === 'local' ? 'local' : 'realtime' }
}
