import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'

export interface RecordedRequest { method: string; path: string; search: string; authorization?: string; body?: any }

/**
 * A peer that misbehaves on purpose, on a fixed port of the harness: it registers like any OCPI 2.3.0 platform and then
 * answers with whatever the test scripts (endpoint URLs, Link headers, endless bodies). Every request it receives is
 * recorded, Authorization included, so a test can tell what our platform sent where.
 */
export class HostilePeer {
  readonly received: RecordedRequest[] = []
  /** Overrides of the endpoint list in the version details. */
  endpoints?: (base: string) => { identifier: string; role: string; url: string }[]
  /** Answer to GET of the locations Sender: objects and a Link header. */
  locations: (request: RecordedRequest) => { data: unknown[]; link?: string } = () => ({ data: [] })
  /** When set, GET /versions streams this many bytes of a never-ending JSON string. */
  hugeVersionsBytes?: number
  /** Bytes of the huge answer actually written before the reader hung up. */
  hugeBytesWritten = 0
  /** The credentials token our platform gave us in its POST. */
  platformToken?: string
  #server?: Server

  constructor(readonly port: number, readonly role: { country_code: string; party_id: string; role: string }) {}

  get base() {
    return `http://127.0.0.1:${this.port}`
  }

  get versionsUrl() {
    return `${this.base}/versions`
  }

  async start(): Promise<this> {
    this.#server = createServer((request, response) => void this.#handle(request, response))
    await new Promise<void>((resolve, reject) => this.#server!.once('error', reject).listen(this.port, '127.0.0.1', resolve))
    return this
  }

  async stop() {
    this.#server?.closeAllConnections()
    await new Promise((resolve) => this.#server?.close(resolve))
  }

  requestsTo(pathPrefix: string) {
    return this.received.filter((request) => request.path.startsWith(pathPrefix))
  }

  async #handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString()
    const url = new URL(request.url!, this.base)
    const recorded: RecordedRequest = { method: request.method!, path: url.pathname, search: url.search, authorization: request.headers.authorization, body: text ? safeJson(text) : undefined }
    this.received.push(recorded)
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'application/json', ...headers })
      response.end(JSON.stringify({ data, status_code: 1000, timestamp: new Date().toISOString() }))
    }
    if (url.pathname === '/versions' && this.hugeVersionsBytes) return this.#streamHuge(response, this.hugeVersionsBytes)
    if (url.pathname === '/versions') return send(200, [{ version: '2.3.0', url: `${this.base}/2.3.0/details` }])
    if (url.pathname === '/2.3.0/details') {
      const endpoints = this.endpoints?.(this.base) ?? [
        { identifier: 'credentials', role: 'SENDER', url: `${this.base}/2.3.0/credentials` },
        { identifier: 'locations', role: 'SENDER', url: `${this.base}/2.3.0/sender/locations` },
      ]
      return send(200, { version: '2.3.0', endpoints })
    }
    if (url.pathname === '/2.3.0/credentials' && request.method === 'POST') {
      this.platformToken = recorded.body?.token
      return send(201, { token: `hostile-${crypto.randomUUID()}`, url: this.versionsUrl, roles: [{ ...this.role, business_details: { name: 'Hostile peer' } }] })
    }
    if (url.pathname.startsWith('/2.3.0/sender/locations')) {
      const { data, link } = this.locations(recorded)
      return send(200, data, link ? { Link: link } : {})
    }
    send(404, null)
  }

  async #streamHuge(response: ServerResponse, total: number) {
    response.writeHead(200, { 'Content-Type': 'application/json' })
    response.write('{"data":"')
    const chunk = Buffer.alloc(64 * 1024, 'x')
    let closed = false
    response.once('close', () => (closed = true))
    while (!closed && this.hugeBytesWritten < total) {
      this.hugeBytesWritten += chunk.length
      if (!response.write(chunk)) await new Promise((resolve) => { response.once('drain', resolve); response.once('close', resolve) })
    }
    if (!closed) response.end('","status_code":1000,"timestamp":"2026-01-01T00:00:00Z"}')
  }
}

/** Records every request and answers 200: an internal service a peer would like us to call. */
export class Target {
  readonly received: RecordedRequest[] = []
  #server?: Server
  constructor(readonly port: number) {}
  get base() {
    return `http://127.0.0.1:${this.port}`
  }
  async start(): Promise<this> {
    this.#server = createServer((request, response) => {
      this.received.push({ method: request.method!, path: request.url!, search: '', authorization: request.headers.authorization })
      response.writeHead(200, { 'Content-Type': 'application/json' })
      response.end(JSON.stringify({ data: [{ version: '2.3.0', url: `${this.base}/secret` }], status_code: 1000, timestamp: new Date().toISOString(), secret: 'internal answer' }))
    })
    await new Promise<void>((resolve, reject) => this.#server!.once('error', reject).listen(this.port, '127.0.0.1', resolve))
    return this
  }
  async stop() {
    this.#server?.closeAllConnections()
    await new Promise((resolve) => this.#server?.close(resolve))
  }
}

function safeJson(text: string) {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
