import type { IncomingMessage, ServerResponse } from 'node:http'
import { LoopbackServer } from './loopback-server'

export interface PartyRef { country_code: string; party_id: string }

/** One request the platform under test sent, with the routing headers it carried (transport_and_format, "Message Routing"). */
export interface HubRequest {
  method: string
  path: string
  search: string
  body?: any
  from?: PartyRef
  to?: PartyRef
  /** False when it was answered 401 (a token the fake does not accept). */
  authorized: boolean
}

const MODULES: [string, 'SENDER' | 'RECEIVER'][] = [
  ['credentials', 'SENDER'], ['locations', 'SENDER'], ['locations', 'RECEIVER'], ['tariffs', 'RECEIVER'], ['tokens', 'SENDER'],
  ['tokens', 'RECEIVER'], ['sessions', 'RECEIVER'], ['cdrs', 'RECEIVER'], ['commands', 'RECEIVER'], ['hubclientinfo', 'RECEIVER'],
]

/**
 * A scripted OCPI 2.3.0 platform in the test process that registers as `role` (HUB by default): it serves versions,
 * details and credentials, takes every push, answers pulls with empty pages, commands with ACCEPTED and real-time
 * authorizations with ALLOWED, and records every request with its routing headers. It accepts only the tokens it
 * issued: `revokeAll()` makes it answer 401 to everything, as a peer that revoked our token does.
 */
export class FakeHub extends LoopbackServer {
  readonly validTokens = new Set<string>()
  /** Latest credentials token the platform under test gave us (for calling it). */
  platformToken?: string
  platformVersionsUrl?: string
  requests: HubRequest[] = []
  /** Tokens of the parties behind the hub, by uid: what its real-time authorization answers carry. */
  readonly tokens = new Map<string, unknown>()
  #serial = 0

  constructor(readonly party: PartyRef & { role: string }) {
    super()
  }

  get versionsUrl() {
    return `${this.base}/versions`
  }

  issueToken(): string {
    const token = `hub-${++this.#serial}-${Math.random().toString(36).slice(2)}`
    this.validTokens.add(token)
    return token
  }

  revokeAll() {
    this.validTokens.clear()
  }

  credentials(token: string) {
    return { token, url: this.versionsUrl, roles: [{ ...this.party, business_details: { name: 'Fake Hub' } }] }
  }

  /** The requests at one module's endpoints (any role), in arrival order. */
  at(module: string): HubRequest[] {
    return this.requests.filter((request) => request.path.split('/')[3] === module || request.path.split('/')[2] === module)
  }

  protected async handle(request: IncomingMessage, text: string, response: ServerResponse) {
    const url = new URL(request.url!, this.base)
    const path = url.pathname.replace(/\/$/, '')
    const header = (name: string) => request.headers[name.toLowerCase()] as string | undefined
    const party = (kind: 'from' | 'to'): PartyRef | undefined => {
      const country_code = header(`OCPI-${kind}-country-code`)
      const party_id = header(`OCPI-${kind}-party-id`)
      return country_code || party_id ? { country_code: country_code ?? '', party_id: party_id ?? '' } : undefined
    }
    const body = text ? JSON.parse(text) : undefined
    const token = /^Token (.+)$/.exec(header('Authorization') ?? '')?.[1]
    const authorized = !!token && this.validTokens.has(Buffer.from(token, 'base64').toString())
    this.requests.push({ method: request.method!, path, search: url.search, body, from: party('from'), to: party('to'), authorized })
    const send = (status: number, data: unknown, status_code = 1000, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'application/json', ...headers })
      response.end(JSON.stringify({ ...(data === undefined ? {} : { data }), status_code, timestamp: new Date().toISOString() }))
    }
    if (!authorized) return send(401, undefined, 2000)
    if (request.method === 'GET' && path === '/versions') return send(200, [{ version: '2.3.0', url: `${this.base}/2.3.0/details` }])
    if (request.method === 'GET' && path === '/2.3.0/details') {
      const endpoints = MODULES.map(([identifier, role]) => ({ identifier, role, url: `${this.base}/2.3.0/${role.toLowerCase()}/${identifier}` }))
      return send(200, { version: '2.3.0', endpoints })
    }
    const [, , role, module, ...rest] = path.split('/')
    if (module === 'credentials') {
      if (request.method === 'DELETE') return send(200, undefined)
      this.platformToken = body.token
      this.platformVersionsUrl = body.url
      return send(request.method === 'POST' ? 201 : 200, this.credentials(this.issueToken()))
    }
    if (role === 'sender' && request.method === 'GET') return send(200, [], 1000, { 'X-Total-Count': '0', 'X-Limit': '100' })
    if (role === 'sender' && module === 'tokens' && rest.at(-1) === 'authorize') {
      return send(200, { allowed: 'ALLOWED', token: this.tokens.get(decodeURIComponent(rest.at(-2) ?? '')), authorization_reference: `REF-${this.#serial}` })
    }
    if (role === 'receiver' && module === 'commands') return send(200, { result: 'ACCEPTED', timeout: 30 })
    return send(request.method === 'POST' ? 201 : 200, undefined)
  }
}

/** The peer's URL for a platform's receiver, and the credentials PUT the fake sends when it rotates our token. */
export async function rotateCredentials(hub: FakeHub, platformUrl: string) {
  const token = hub.issueToken()
  const response = await fetch(`${platformUrl}/ocpi/2.3.0/credentials`, {
    method: 'PUT',
    headers: { Authorization: `Token ${Buffer.from(hub.platformToken!).toString('base64')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(hub.credentials(token)),
  })
  const answer = await response.json() as { status_code: number; data: { token: string } }
  if (answer.status_code === 1000) hub.platformToken = answer.data.token
  return answer
}
