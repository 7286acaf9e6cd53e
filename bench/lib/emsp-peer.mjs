// A lightweight OCPI eMSP peer in the bench process, for the live-sessions load: versions, version details,
// credentials (so a CPO platform registers with it through the real flow), a sessions and a CDRs receiver that record
// every push with its arrival time, and the response_url where CommandResults arrive. It sends START_SESSION commands
// to the CPO over OCPI with the token the CPO gave it.
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'

const VERSION = '2.3.0'

export async function startEmspPeer({ countryCode, partyId, tokenA }) {
  const tokenC = randomBytes(18).toString('base64url')
  const accepted = new Set([tokenA, tokenC])
  const state = { platformToken: undefined }
  /**
   * Every session push in arrival order: { id, token_uid, method, last_updated (ms), kwh, status, periods (number of
   * charging periods: a simulated session adds one per meter reading, so it numbers the session's updates), receivedAt }.
   */
  const sessionPushes = []
  const cdrs = []
  const results = new Map() // command id -> { result, receivedAt }
  /** Called on arrival: `sessionPush(push)` and `result(commandId, { result, receivedAt })`, when set. */
  const hooks = {}
  /** Requests this peer has no route for (a push to an endpoint it does not list would be a platform defect). */
  const refused = []
  const server = createServer((request, response) => {
    const chunks = []
    request.on('data', (chunk) => chunks.push(chunk))
    request.on('end', () => {
      const receivedAt = Date.now()
      const text = Buffer.concat(chunks).toString('utf8')
      let answer
      try {
        answer = handle({ method: request.method, path: new URL(request.url, 'http://peer').pathname, headers: request.headers, text, receivedAt })
      } catch (error) {
        answer = [500, null, 3000, String(error)]
      }
      reply(response, ...answer)
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${server.address().port}/ocpi`

  function handle({ method, path, headers, text, receivedAt }) {
    if (!presentedTokens(headers.authorization).some((token) => accepted.has(token))) {
      refused.push(`${method} ${path} (token)`)
      return [401, null, 2000]
    }
    if (method === 'GET' && path === '/ocpi/versions') return [200, [{ version: VERSION, url: `${base}/${VERSION}/details` }]]
    const route = path.slice(`/ocpi/${VERSION}/`.length)
    if (method === 'GET' && route === 'details') {
      return [200, { version: VERSION, endpoints: [
        { identifier: 'credentials', role: 'SENDER', url: `${base}/${VERSION}/credentials` },
        { identifier: 'sessions', role: 'RECEIVER', url: `${base}/${VERSION}/receiver/sessions` },
        { identifier: 'cdrs', role: 'RECEIVER', url: `${base}/${VERSION}/receiver/cdrs` },
        { identifier: 'commands', role: 'SENDER', url: `${base}/${VERSION}/sender/commands` },
      ] }]
    }
    if (route === 'credentials' && (method === 'POST' || method === 'PUT')) {
      state.platformToken = JSON.parse(text).token
      accepted.delete(tokenA)
      return [200, ownCredentials()]
    }
    if (route === 'credentials' && method === 'GET') return [200, ownCredentials()]
    if (route.startsWith('receiver/sessions/') && (method === 'PUT' || method === 'PATCH')) {
      const body = JSON.parse(text)
      sessionPushes.push({
        id: route.split('/')[4], token_uid: body.cdr_token?.uid, method, last_updated: Date.parse(body.last_updated), kwh: body.kwh, status: body.status,
        periods: body.charging_periods?.length, receivedAt,
      })
      hooks.sessionPush?.(sessionPushes.at(-1))
      return [200, null]
    }
    if (route.startsWith('receiver/cdrs') && method === 'POST') {
      cdrs.push({ receivedAt })
      return [200, null]
    }
    if (route.startsWith('sender/commands/') && method === 'POST') {
      const id = route.split('/')[3]
      if (!results.has(id)) {
        results.set(id, { result: JSON.parse(text).result, receivedAt })
        hooks.result?.(id, results.get(id))
      }
      return [200, null]
    }
    refused.push(`${method} ${path}`)
    return [404, null, 2000]
  }

  const ownCredentials = () => ({
    token: tokenC,
    url: `${base}/versions`,
    roles: [{ role: 'EMSP', country_code: countryCode, party_id: partyId, business_details: { name: `Bench eMSP ${countryCode}*${partyId}` } }],
  })

  /** POST START_SESSION to the CPO over OCPI; resolves with { id, response } (the CommandResponse). */
  async function startSession(cpoUrl, cpo, { token, locationId, evseUid }) {
    const id = randomUUID()
    const body = { response_url: `${base}/${VERSION}/sender/commands/START_SESSION/${id}`, token, location_id: locationId, evse_uid: evseUid }
    const response = await fetch(`${cpoUrl}/ocpi/${VERSION}/receiver/commands/START_SESSION`, {
      method: 'POST',
      headers: {
        Authorization: `Token ${Buffer.from(state.platformToken).toString('base64')}`, 'Content-Type': 'application/json',
        'X-Request-ID': randomUUID(), 'X-Correlation-ID': randomUUID(),
        'OCPI-from-country-code': countryCode, 'OCPI-from-party-id': partyId, 'OCPI-to-country-code': cpo.country_code, 'OCPI-to-party-id': cpo.party_id,
      },
      body: JSON.stringify(body),
    })
    const envelope = await response.json()
    return { id, response: envelope.data, status: envelope.status_code }
  }

  return {
    versionsUrl: `${base}/versions`,
    sessionPushes,
    cdrs,
    refused,
    results,
    hooks,
    startSession,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve) }),
  }
}

function presentedTokens(header) {
  const value = /^Token\s+(\S+)$/i.exec(header ?? '')?.[1]
  return value ? [Buffer.from(value, 'base64').toString('utf8'), value] : []
}

function reply(response, status, data, statusCode = 1000, message) {
  const body = JSON.stringify({ data: data ?? undefined, status_code: statusCode, status_message: message, timestamp: new Date().toISOString() })
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) })
  response.end(body)
}
