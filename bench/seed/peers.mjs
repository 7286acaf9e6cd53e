// A connected peer written straight into a platform's D1, exactly as registration leaves it (src/db/schema/foundation.ts):
// a peers row, one peer_roles row per role, and our issued token C stored only as its SHA-256 hex (src/ocpi/auth.ts).
import { createHash } from 'node:crypto'
import { insertRows } from '../lib/d1-file.mjs'

export const sha256Hex = (token) => createHash('sha256').update(token, 'utf8').digest('hex')

/**
 * `token` is the token C the peer presents to us; `outboundToken` (optional) the one we present to it, with its
 * `endpoints` (from its version details) so we can call it.
 */
export function insertConnectedPeer(db, { id, name, token, version = '2.3.0', roles, endpoints = [], versionsUrl = null, outboundToken = null, now = Date.now() }) {
  insertRows(db, 'peers', [{
    id, name, status: 'CONNECTED', initiated_by: 'them', version, versions_url: versionsUrl,
    endpoints: JSON.stringify(endpoints), roles: JSON.stringify(roles), hub_party_id: null, outbound_token: outboundToken,
    credentials_rotated_at: now, last_error: null, created_at: now, updated_at: now,
  }])
  insertRows(db, 'peer_roles', roles.map((role) => ({ peer_id: id, country_code: role.country_code, party_id: role.party_id, role: role.role })))
  insertRows(db, 'credentials_tokens', [{ token_hash: sha256Hex(token), peer_id: id, kind: 'C', created_at: now, expires_at: null }])
}

export function insertHostedParty(db, { country_code, party_id, role, name, now = Date.now() }) {
  insertRows(db, 'parties', [{ country_code, party_id, role, business_details: JSON.stringify({ name }), created_at: now }])
}

/** A credentials role as a peer announces it. */
export const credentialsRole = (country_code, party_id, role, name) => ({ role, country_code, party_id, business_details: { name } })
