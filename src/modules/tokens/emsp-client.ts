import type { PartyRef } from '../../ocpi/context'
import { OcpiError } from '../../ocpi/errors'
import { isSupportedVersion, type OcpiVersion } from '../../ocpi/versions'
import { ocpiRequest, OcpiClientError } from '../../peers/client'
import { peerEndpoint } from '../../peers/extensions'
import { ownerOf211 } from '../../peers/one-party-connection'
import { adapterFor, toWire } from '../../ocpi/version-adapters'
import { routingOf } from '../../peers/hub-routing'
import { firstPageUrl, nextPageAfter, type NextPage } from '../../peers/paged-pull'
import type { Peer } from '../../peers/store'
import type { RealtimeOutcome } from './authorization-policy'
import { allowedCountriesFromWire, AllowedType, type AuthorizationInfo, type LocationReferences, type Token } from '../../ocpi/objects/token'
import { authorizationInfoVersions, tokenVersions, locationReferencesVersions } from '../../ocpi/objects/version-maps'

// Outbound calls of the CPO side to an eMSP peer's Tokens Sender interface.

export interface TokensSender { peer: Peer; version: OcpiVersion; url: string; token: string }

/** The peer's Tokens Sender endpoint in its negotiated version, when it has one and we can call it. */
export function tokensSenderOf(peer: Peer): TokensSender | undefined {
  const endpoint = peerEndpoint(peer, 'tokens', 'SENDER')
  if (!endpoint || !peer.version || !isSupportedVersion(peer.version) || !peer.outbound_token || peer.status === 'SUSPENDED') return undefined
  return { peer, version: peer.version, url: endpoint.url, token: peer.outbound_token }
}

export interface RealtimeRequest {
  uid: string
  type: string
  location?: LocationReferences
  /** Our CPO party asking (OCPI-from) and the token's owner (OCPI-to). */
  from: PartyRef
  to: PartyRef
  timeoutMs: number
}

export interface RealtimeResult {
  outcome: RealtimeOutcome
  info?: AuthorizationInfo
  /** allowed_countries the eMSP sent with the token (2.3.0), to cache with it. */
  allowed_countries?: string[]
  message?: string
}

/** `POST {tokens_endpoint_url}{token_uid}/authorize[?type={type}]` (mod_tokens, POST Method); never throws. */
export async function requestRealtimeAuthorization(sender: TokensSender, request: RealtimeRequest): Promise<RealtimeResult> {
  const url = `${sender.url.replace(/\/$/, '')}/${encodeURIComponent(request.uid)}/authorize?type=${encodeURIComponent(request.type)}`
  try {
    const response = await ocpiRequest({
      method: 'POST', url, token: sender.token, version: sender.version, body: request.location && toWire(locationReferencesVersions, sender.version, request.location), ...routingOf(sender.peer, { module: 'tokens', kind: 'push', from: request.from, to: request.to }), timeoutMs: request.timeoutMs, retries: 0,
    })
    if (response.status_code === 2004) return { outcome: { kind: 'unknown-token' }, message: response.status_message }
    // 3xxx: the eMSP's own backend failed; 4xxx: a hub could not reach it. Either way nobody answered for the token.
    if (response.status_code >= 3000) return { outcome: { kind: 'unreachable' }, message: response.status_message }
    if (response.status_code !== 1000) return { outcome: { kind: 'refused' }, message: `${response.status_code} ${response.status_message ?? ''}`.trim() }
    const info = adapterFor(authorizationInfoVersions, sender.version).schema.safeParse(response.data)
    if (info.success) {
      const wireToken = (response.data as { token?: unknown }).token
      return { outcome: { kind: 'answered', allowed: info.data.allowed }, info: adapterFor(authorizationInfoVersions, sender.version).toCanonical(info.data), allowed_countries: allowedCountriesFromWire(sender.version, wireToken) }
    }
    // An answer we can only partly read still says whether the driver may charge.
    const allowed = AllowedType.safeParse((response.data as { allowed?: unknown } | undefined)?.allowed)
    if (allowed.success) return { outcome: { kind: 'answered', allowed: allowed.data }, message: 'AuthorizationInfo did not validate' }
    return { outcome: { kind: 'refused' }, message: 'AuthorizationInfo without a valid allowed field' }
  } catch (error) {
    if (error instanceof OcpiClientError) return { outcome: { kind: 'unreachable' }, message: error.message }
    throw error
  }
}

export interface PulledPage {
  tokens: { token: Token; allowed_countries?: string[] }[]
  /** Objects on the page that were not valid Tokens in the peer's version: skipped, not fatal. */
  rejected: number
}

/** The first page of `GET {tokens_endpoint_url}` (mod_tokens, "Pull model"). */
export function firstTokenPageUrl(sender: TokensSender, options: { date_from?: string; limit?: number }): string {
  return firstPageUrl(sender.url, { date_from: options.date_from, limit: options.limit })
}

/**
 * Pulls one page and returns it with where the pull goes next (src/peers/paged-pull.ts: only on the endpoint, never a
 * page twice). Throws OcpiError 3001 when the peer fails.
 */
export async function pullTokenPage(
  sender: TokensSender, url: string, options: { from: PartyRef; to: PartyRef; timeoutMs: number; pages: number; recent?: string[] },
): Promise<{ page: PulledPage } & NextPage> {
  const response = await callPeer(() => ocpiRequest<unknown[]>({ method: 'GET', url, token: sender.token, version: sender.version, ...routingOf(sender.peer, { module: 'tokens', kind: 'pull', from: options.from, to: options.to }), timeoutMs: options.timeoutMs }))
  if (response.status_code !== 1000 || !Array.isArray(response.data)) {
    throw new OcpiError(3001, `${sender.peer.id} answered the tokens pull with ${response.status_code} ${response.status_message ?? ''}`.trim())
  }
  return { page: parsePage(sender.version, response.data, ownerOf211(sender.peer, 'EMSP')), ...nextPageAfter({ url, headers: response.headers, received: response.data.length, pages: options.pages, recent: options.recent }) }
}

function parsePage(version: OcpiVersion, objects: unknown[], owner?: PartyRef): PulledPage {
  const page: PulledPage = { tokens: [], rejected: 0 }
  for (const value of objects) {
    const parsed = adapterFor(tokenVersions, version).schema.safeParse(value)
    if (!parsed.success) page.rejected++
    else page.tokens.push({ token: adapterFor(tokenVersions, version).toCanonical(parsed.data, owner), allowed_countries: allowedCountriesFromWire(version, value) })
  }
  return page
}

async function callPeer<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof OcpiClientError) throw new OcpiError(3001, error.message)
    throw error
  }
}
