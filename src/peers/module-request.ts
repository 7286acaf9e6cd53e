import type { Env } from '../env'
import type { PartyRef } from '../ocpi/context'
import { OcpiError } from '../ocpi/errors'
import { clientTimeout, endpointUrl, OcpiClientError, ocpiRequest, type OcpiResponse } from './client'
import { peerEndpoint } from './extensions'
import { routingOf } from './hub-routing'
import { noteAnswer } from './token-rejection'
import type { Peer } from './store'

export interface PeerModuleRequest {
  module: string
  role: 'SENDER' | 'RECEIVER'
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Path segments below the endpoint's URL, each URL-encoded here. */
  path?: string[]
  query?: Record<string, string | undefined>
  /** A full URL to call instead (e.g. the next page's Link), checked to be on the same endpoint. */
  url?: string
  body?: unknown
  from?: PartyRef
  to?: PartyRef
}

/**
 * One direct OCPI call to a module of a registered peer, at the endpoint the peer listed in its version details.
 * A peer without that endpoint is 3003, an unreachable peer 3001 (status_codes.asciidoc); the peer's own OCPI status
 * is returned for the caller to judge.
 */
export async function requestPeerModule<T = unknown>(env: Env, peer: Peer, request: PeerModuleRequest): Promise<OcpiResponse<T>> {
  if (peer.status !== 'CONNECTED' || !peer.outbound_token) throw new OcpiError(3001, `Peer ${peer.id} is ${peer.status}, not connected`)
  const endpoint = peerEndpoint(peer, request.module, request.role)
  if (!endpoint) throw new OcpiError(3003, `Peer ${peer.id} offers no ${request.module} ${request.role} endpoint we may use (custom modules need an agreement)`)
  if (request.url && !isBelow(request.url, endpoint.url)) throw new OcpiError(3001, `Peer ${peer.id} pointed outside its ${request.module} endpoint: ${request.url}`)
  const url = request.url ?? endpointUrl(endpoint.url, request.path, request.query)
  const kind = request.role === 'SENDER' && request.method === 'GET' ? 'pull' : 'push'
  const routing = routingOf(peer, { module: request.module, kind, from: request.from, to: request.to })
  try {
    const response = await ocpiRequest<T>({ method: request.method, url, token: peer.outbound_token, version: peer.version, body: request.body, ...routing, timeoutMs: clientTimeout(env) })
    await noteAnswer(env, peer, response.http_status === 401)
    return response
  } catch (error) {
    if (error instanceof OcpiClientError) {
      if (error.http_status === 401) await noteAnswer(env, peer, true)
      throw new OcpiError(3001, `Unable to use the peer's API: ${error.message}`)
    }
    throw error
  }
}

/**
 * True when `url` is on the endpoint's origin and at or below its path. A string prefix is not enough: a path-less
 * endpoint https://peer.example would let https://peer.example.evil.test/ through, and our token with it.
 */
function isBelow(url: string, endpoint: string): boolean {
  if (!URL.canParse(url) || !URL.canParse(endpoint)) return false
  const target = new URL(url)
  const root = new URL(endpoint)
  const rootPath = root.pathname.replace(/\/+$/, '')
  return target.origin === root.origin && (target.pathname === rootPath || target.pathname.startsWith(`${rootPath}/`))
}
