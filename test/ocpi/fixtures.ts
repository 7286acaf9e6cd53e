import { env, exports } from 'cloudflare:workers'
import { database } from '../../src/db/client'
import { peers, type CredentialsRole } from '../../src/db/schema'
import { encodeAuthorization } from '../../src/ocpi/auth'
import type { OcpiVersion } from '../../src/ocpi/versions'
import { issueToken, replacePeerRolesStatements, type Peer } from '../../src/peers/store'

export const db = () => database(env.DB)

/**
 * A registered peer and the token it presents to us. Without `fields` it has no versions URL or credentials endpoint,
 * so nothing ever calls it back (e.g. the credentials PUT that hosting a party sends to connected peers).
 */
export async function registeredPeer(options: { roles?: CredentialsRole[]; version?: OcpiVersion; extensions?: string[]; fields?: Partial<Peer> } = {}) {
  const id = `peer-${crypto.randomUUID().slice(0, 8)}`
  const token = `token-${crypto.randomUUID()}`
  const roles = options.roles ?? [{ role: 'EMSP', country_code: 'DE', party_id: 'MSP', business_details: { name: 'MSP' } }]
  const now = Date.now()
  await db().insert(peers).values({
    id, status: 'CONNECTED', initiated_by: 'them', version: options.version ?? '2.3.0', versions_url: null, endpoints: [],
    outbound_token: 'token-we-present', credentials_rotated_at: now, extensions: options.extensions ?? [], created_at: now, updated_at: now, ...options.fields,
  })
  await db().batch(replacePeerRolesStatements(db(), id, roles))
  await issueToken(db(), id, token, 'C')
  return { id, token }
}

/** An OCPI request to the worker under test. */
export function ocpiFetch(path: string, options: { token?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers = new Headers(options.headers)
  if (options.token) headers.set('Authorization', encodeAuthorization(options.token))
  if (options.body !== undefined) headers.set('Content-Type', 'application/json')
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
  return exports.default.fetch(new Request(`http://localhost${path}`, { method: options.method ?? 'GET', headers, body }))
}

export const adminFetch = (path: string, options: { method?: string; body?: unknown } = {}) =>
  exports.default.fetch(
    new Request(`http://localhost/admin/v1${path}`, {
      method: options.method ?? 'GET',
      headers: { Authorization: 'Bearer test-admin-token', 'Content-Type': 'application/json' },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    }),
  )

export interface OcpiBody<T = any> { data?: T; status_code: number; status_message?: string; timestamp: string }
