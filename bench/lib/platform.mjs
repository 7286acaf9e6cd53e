// Bench platforms: real `wrangler dev` processes on the bench's own ports (8890-8899, inspectors 9390-9399),
// driven through the management API and OCPI like any operator or peer would.
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { buildWorker, startPlatform } from '../../scripts/wrangler-process.mjs'

export const BENCH_ADMIN_TOKEN = 'bench-admin-token'

const PORTS = { locations: 8890, push: 8891, emsp: 8892, cpo: 8893 }

// The Worker is bundled once per bench run and every platform serves that build: sources edited during a run neither
// reload a platform in the middle of a measurement nor mix two versions of the code in one report.
let worker

export async function launchPlatform(name, persistTo, vars = {}) {
  const port = PORTS[name]
  worker ??= buildWorker('bench/.state/build/worker')
  const script = await worker
  // Every platform starts with an empty Cache API: pages cached by an earlier run on the same state must not be served.
  await rm(join(persistTo, 'v3', 'cache'), { recursive: true, force: true })
  const running = await startPlatform({ port, inspectorPort: port + 500, persistTo, adminToken: BENCH_ADMIN_TOKEN, vars: { ALLOW_PRIVATE_PEER_URLS: 'true', ...vars }, timeoutMs: 120_000, script })
  return { ...running, name, admin: (method, path, body) => adminCall(running.url, method, path, body) }
}

/** Management call that must succeed; returns the JSON body. */
export async function adminCall(baseUrl, method, path, body) {
  const response = await fetch(`${baseUrl}/admin/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  if (response.status >= 300) throw new Error(`${method} ${path} -> ${response.status} ${text.slice(0, 500)}`)
  return text ? JSON.parse(text) : undefined
}

/** Authorization header value for a credentials token, Base64 as OCPI 2.2+ requires. */
export const tokenHeader = (token) => `Token ${Buffer.from(token).toString('base64')}`

/** One OCPI GET with a peer token; returns the envelope, status and headers. */
export async function ocpiGet(url, token) {
  const response = await fetch(url, { headers: { Authorization: tokenHeader(token) } })
  const text = await response.text()
  const body = text ? JSON.parse(text) : undefined
  if (response.status !== 200 || body?.status_code !== 1000) throw new Error(`GET ${url} -> ${response.status} ${text.slice(0, 300)}`)
  return { body, headers: response.headers }
}

/** The URL in a `Link: <url>; rel="next"` header, if any. */
export function nextLink(headers) {
  const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(headers.get('Link') ?? '')
  return match?.[1]
}
