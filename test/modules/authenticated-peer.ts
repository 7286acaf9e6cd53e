import { env, exports } from 'cloudflare:workers'
import { database } from '../../src/db/client'
import { peers, type CredentialsRole } from '../../src/db/schema'
import type { Role } from '../../src/ocpi/types'
import { issueToken, replacePeerRolesStatements } from '../../src/peers/store'

// A registered peer as the credentials handshake leaves it on our side (roles, token C we issued), for OCPI requests
// through the worker in x-gdpr and x-token-migration tests. It has no token of its own: nothing is ever sent to it.

export interface TestPeer { id: string; token: string }

/**
 * `receives`: modules it lists a RECEIVER endpoint for, so pushes are queued for it (and stay queued: it has no token).
 * `extensions`: the custom modules agreed with it (x-gdpr, x-token-migration...), without which their routes are 404 to it.
 */
export async function peerRepresenting(
  parties: { country_code: string; party_id: string; role?: Role }[], receives: string[] = [], extensions: string[] = [],
): Promise<TestPeer> {
  const db = database(env.DB)
  const id = crypto.randomUUID()
  const token = `token-${id}`
  const now = Date.now()
  const endpoints = receives.map((module) => ({ identifier: module, role: 'RECEIVER' as const, url: `https://peer.invalid/ocpi/2.3.0/receiver/${module}` }))
  await db.insert(peers).values({ id, status: 'CONNECTED', initiated_by: 'them', version: '2.3.0', endpoints, extensions, created_at: now, updated_at: now })
  await setPeerRoles(id, parties)
  await issueToken(db, id, token, 'C')
  return { id, token }
}

export async function setPeerRoles(peerId: string, parties: { country_code: string; party_id: string; role?: Role }[]) {
  const db = database(env.DB)
  const roles: CredentialsRole[] = parties.map(({ role = 'EMSP', ...party }) => ({ role, ...party, business_details: { name: 'Test' } }))
  await db.batch([...replacePeerRolesStatements(db, peerId, roles)] as never)
}

export function ocpiCall(peer: TestPeer, method: string, url: string, body?: unknown) {
  return exports.default.fetch(url.startsWith('http') ? url : `http://localhost/ocpi/2.3.0/${url}`, {
    method,
    headers: { Authorization: `Token ${btoa(peer.token)}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

export function adminCall(method: string, path: string, body?: unknown) {
  return exports.default.fetch(`http://localhost/admin/v1${path}`, {
    method,
    headers: { Authorization: 'Bearer test-admin-token', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}
