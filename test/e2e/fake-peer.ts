import type { IncomingMessage, ServerResponse } from 'node:http'
import { LoopbackServer } from './loopback-server'

export interface FakePeerOptions {
  /** Versions the fake offers; default both. */
  versions?: string[]
  /** Modules besides credentials in its version details; default hubclientinfo. */
  modules?: string[]
  role?: { role: string; country_code: string; party_id: string }
}

/**
 * A scripted OCPI platform in the test process, for what two real platforms never show: the tokens they exchange.
 * It serves versions, details and credentials (POST/PUT/DELETE), accepts only the tokens it issued, and records what
 * the platform under test sent it.
 */
export class FakePeer extends LoopbackServer {
  readonly validTokens = new Set<string>()
  /** Latest credentials token the platform under test gave us (for calling it). */
  platformToken?: string
  received: { method: string; path: string; body?: any }[] = []
  deleted = false
  #serial = 0

  constructor(readonly options: FakePeerOptions = {}) {
    super()
  }

  get versionsUrl() {
    return `${this.base}/versions`
  }

  // A party of its own by default: a platform refuses a party another of its peers already holds (docs/security.md).
  readonly #defaultRole = { role: 'EMSP', country_code: 'NL', party_id: Math.random().toString(36).slice(2, 5).toUpperCase().padEnd(3, 'X') }

  get role() {
    return { business_details: { name: 'Fake Peer' }, ...(this.options.role ?? this.#defaultRole) }
  }

  /** A token we issue and accept from now on. */
  issueToken(prefix = 'fake'): string {
    const token = `${prefix}-${++this.#serial}-${Math.random().toString(36).slice(2)}`
    this.validTokens.add(token)
    return token
  }

  credentials(token: string) {
    return { token, url: this.versionsUrl, roles: [this.role] }
  }

  protected async handle(request: IncomingMessage, text: string, response: ServerResponse) {
    const body = text ? JSON.parse(text) : undefined
    const path = new URL(request.url!, this.base).pathname.replace(/\/$/, '')
    this.received.push({ method: request.method!, path, body })
    const send = (status: number, data: unknown, status_code = 1000) => {
      response.writeHead(status, { 'Content-Type': 'application/json' })
      response.end(JSON.stringify({ ...(data === undefined ? {} : { data }), status_code, timestamp: new Date().toISOString() }))
    }
    const token = /^Token (.+)$/.exec(request.headers.authorization ?? '')?.[1]
    if (!token || !this.validTokens.has(Buffer.from(token, 'base64').toString())) return send(401, undefined, 2000)
    const versions = this.options.versions ?? ['2.2.1', '2.3.0']
    if (request.method === 'GET' && path === '/versions') return send(200, versions.map((version) => ({ version, url: `${this.base}/${version}/details` })))
    const [, version, resource] = path.split('/')
    if (version === undefined || !versions.includes(version)) return send(404, undefined, 3002)
    if (request.method === 'GET' && resource === 'details') {
      const endpoints = [{ identifier: 'credentials', role: 'SENDER', url: `${this.base}/${version}/credentials` }]
      for (const module of this.options.modules ?? ['hubclientinfo']) endpoints.push({ identifier: module, role: 'RECEIVER', url: `${this.base}/${version}/${module}` })
      return send(200, { version, endpoints })
    }
    if (resource !== 'credentials') return send(404, undefined, 2000)
    if (request.method === 'DELETE') {
      this.deleted = true
      return send(200, undefined)
    }
    if (request.method === 'POST' || request.method === 'PUT') {
      this.platformToken = body.token
      return send(request.method === 'POST' ? 201 : 200, this.credentials(this.issueToken()))
    }
    return send(405, undefined, 2000)
  }
}
