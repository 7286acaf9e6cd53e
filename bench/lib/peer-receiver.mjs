// A lightweight OCPI peer in the bench process: versions, version details, credentials (so a platform can register
// with it through the real flow) and a locations receiver that timestamps every push it gets.
import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { createServer } from 'node:http'
import { performance } from 'node:perf_hooks'

const VERSIONS = ['2.3.0', '2.2.1']

/**
 * Starts a peer hosting one eMSP party. `tokenA` is what the platform must present to register; the peer answers
 * with a fresh token C. Each push emits 'push' with { method, path, body, receivedAt } (performance.now()).
 */
export async function startPeerReceiver({ countryCode, partyId, tokenA }) {
  const events = new EventEmitter()
  const tokenC = randomBytes(18).toString('base64url')
  const accepted = new Set([tokenA, tokenC])
  const state = { platformToken: undefined, platformVersionsUrl: undefined, pushes: 0 }
  const server = createServer((request, response) => {
    const chunks = []
    request.on('data', (chunk) => chunks.push(chunk))
    request.on('end', () => {
      const receivedAt = performance.now()
      const text = Buffer.concat(chunks).toString('utf8')
      handle({ method: request.method, path: new URL(request.url, 'http://peer').pathname, headers: request.headers, text, receivedAt })
        .then(([status, data, statusCode = 1000]) => reply(response, status, data, statusCode))
        .catch((error) => reply(response, 500, null, 3000, String(error)))
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${server.address().port}/ocpi`

  async function handle({ method, path, headers, text, receivedAt }) {
    if (!presentedTokens(headers.authorization).some((token) => accepted.has(token))) return [401, null, 2000]
    if (method === 'GET' && path === '/ocpi/versions') return [200, VERSIONS.map((version) => ({ version, url: `${base}/${version}/details` }))]
    const [, , version, ...rest] = path.split('/')
    if (!VERSIONS.includes(version)) return [404, null, 2000]
    const route = rest.join('/')
    if (method === 'GET' && route === 'details') {
      return [200, { version, endpoints: [
        { identifier: 'credentials', role: 'SENDER', url: `${base}/${version}/credentials` },
        { identifier: 'locations', role: 'RECEIVER', url: `${base}/${version}/receiver/locations` },
      ] }]
    }
    if (route === 'credentials' && (method === 'POST' || method === 'PUT')) {
      const credentials = JSON.parse(text)
      state.platformToken = credentials.token
      state.platformVersionsUrl = credentials.url
      accepted.delete(tokenA) // credentials.asciidoc: token A is spent once C is issued
      return [200, ownCredentials()]
    }
    if (route === 'credentials' && method === 'GET') return [200, ownCredentials()]
    if (route.startsWith('receiver/locations/') && (method === 'PUT' || method === 'PATCH')) {
      state.pushes++
      events.emit('push', { method, path, body: text ? JSON.parse(text) : undefined, receivedAt })
      return [200, null]
    }
    return [404, null, 2000]
  }

  const ownCredentials = () => ({
    token: tokenC,
    url: `${base}/versions`,
    roles: [{ role: 'EMSP', country_code: countryCode, party_id: partyId, business_details: { name: `Bench eMSP ${countryCode}*${partyId}` } }],
  })

  return {
    versionsUrl: `${base}/versions`,
    events,
    state,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve) }),
  }
}

/** The token as sent Base64-encoded (OCPI 2.2+) and as sent raw. */
function presentedTokens(header) {
  const value = /^Token\s+(\S+)$/i.exec(header ?? '')?.[1]
  return value ? [Buffer.from(value, 'base64').toString('utf8'), value] : []
}

function reply(response, status, data, statusCode, message) {
  const body = JSON.stringify({ data: data ?? undefined, status_code: statusCode, status_message: message, timestamp: new Date().toISOString() })
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) })
  response.end(body)
}
