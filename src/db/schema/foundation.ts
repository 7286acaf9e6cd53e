import { sql } from 'drizzle-orm'
import { sqliteTable, text, integer, primaryKey, index } from 'drizzle-orm/sqlite-core'
import type { PeerStatus } from '../../ocpi/context'
import type { CredentialsRole, Endpoint } from '../../ocpi/objects/credentials'
import type { Role } from '../../ocpi/types'
import type { BusinessDetails } from '../../ocpi/objects/business-details'
import type { IngestMode } from '../../ocpi/ingest'

export type { CredentialsRole, Endpoint, PeerStatus }
/** A party and role the operator lets a peer hold (docs/security.md, "Role grants"). */
export interface RoleGrant { country_code: string; party_id: string; role: Role }
/** A role a peer named that waits for the operator: `reason` says why it was not granted at once. */
export interface PendingRole extends CredentialsRole { reason: string; requested_at: string }

/** Parties hosted on this platform. */
export const parties = sqliteTable('parties', {
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  role: text('role').$type<Role>().notNull(),
  business_details: text('business_details', { mode: 'json' }).$type<BusinessDetails>().notNull(),
  created_at: integer('created_at').notNull(),
}, (table) => [primaryKey({ columns: [table.country_code, table.party_id, table.role] })])

/** Other OCPI platforms we are (or are becoming) connected to. */
export const peers = sqliteTable('peers', {
  id: text('id').primaryKey(),
  name: text('name'),
  status: text('status').$type<PeerStatus>().notNull(),
  /** Who started the registration: 'them' (they used our token A) or 'us' (we used theirs). */
  initiated_by: text('initiated_by').$type<'us' | 'them'>().notNull(),
  version: text('version'),
  versions_url: text('versions_url'),
  endpoints: text('endpoints', { mode: 'json' }).$type<Endpoint[]>().notNull().default([]),
  /** Granted roles only: the ones every routing, visibility and push decision reads (with the peer_roles index). */
  roles: text('roles', { mode: 'json' }).$type<CredentialsRole[]>().notNull().default([]),
  /** Roles the peer named that the operator has not approved yet; they count nowhere. */
  pending_roles: text('pending_roles', { mode: 'json' }).$type<PendingRole[]>().notNull().default([]),
  /** What the operator lets the peer hold; null: nothing stated, the first registration takes free parties. */
  grants: text('grants', { mode: 'json' }).$type<RoleGrant[]>(),
  /** HTTP status of our answer to the peer's credentials POST: 201 (status_codes) unless the peer accepts only 200. */
  credentials_post_status: integer('credentials_post_status').$type<200 | 201>().notNull().default(201),
  /** How pushes from this peer are read: 'strict' (default) or 'tolerant' (src/ocpi/ingest.ts). */
  ingest: text('ingest').$type<IngestMode>().notNull().default('strict'),
  /** Custom module ids (x-...) agreed with this peer: only these are listed to, accepted from and called at the peer. */
  extensions: text('extensions', { mode: 'json' }).$type<string[]>().notNull().default([]),
  /** Our hosted party an OCPI 2.1.1 connection is with (one party per connection); null: chosen by side. */
  own_party: text('own_party', { mode: 'json' }).$type<{ country_code: string; party_id: string }>(),
  hub_party_id: text('hub_party_id'),
  /** The credentials token we present to the peer. Needed in clear to call them; never logged. */
  outbound_token: text('outbound_token'),
  credentials_rotated_at: integer('credentials_rotated_at'),
  last_error: text('last_error'),
  /** Consecutive HTTP 401 answers of the peer to our calls; any other answer resets it. */
  unauthorized_streak: integer('unauthorized_streak').notNull().default(0),
  /** Set when the streak reached TOKEN_REJECTED_AFTER_401S: the outbox holds until a renew or refresh succeeds. */
  token_rejected_at: integer('token_rejected_at'),
  created_at: integer('created_at').notNull(),
  updated_at: integer('updated_at').notNull(),
})

/** One row per (peer, party, role) the peer represents: answers "which peer serves party X" by index. */
export const peerRoles = sqliteTable('peer_roles', {
  peer_id: text('peer_id').notNull(),
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  role: text('role').$type<Role>().notNull(),
}, (table) => [
  primaryKey({ columns: [table.peer_id, table.country_code, table.party_id, table.role] }),
  index('peer_roles_by_party').on(table.country_code, table.party_id),
])

/** Credentials tokens we issued (A for registration, C after it), stored as SHA-256 only. */
export const credentialsTokens = sqliteTable('credentials_tokens', {
  token_hash: text('token_hash').primaryKey(),
  peer_id: text('peer_id').notNull(),
  kind: text('kind').$type<'A' | 'C'>().notNull(),
  created_at: integer('created_at').notNull(),
  /** Set when superseded: still accepted until then so in-flight requests are not dropped. */
  expires_at: integer('expires_at'),
}, (table) => [index('credentials_tokens_by_peer').on(table.peer_id)])

/** HubClientInfo: connection status of parties behind a hub (B8.4), as received from or sent to peers. */
export type ConnectionStatus = 'CONNECTED' | 'OFFLINE' | 'PLANNED' | 'SUSPENDED'
export const hubClientInfo = sqliteTable('hub_client_info', {
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  role: text('role').$type<Role>().notNull(),
  status: text('status').$type<ConnectionStatus>().notNull(),
  /** null: information about our own hosted parties/peers; else the hub peer that told us. */
  peer_id: text('peer_id'),
  last_updated: integer('last_updated').notNull(),
  /** Unique paging key for keyset cursors (country_code*party_id*role). */
  key: text('key').generatedAlwaysAs(sql`country_code || '*' || party_id || '*' || role`, { mode: 'virtual' }),
}, (table) => [
  primaryKey({ columns: [table.country_code, table.party_id, table.role] }),
  index('hub_client_info_by_peer_id_last_updated').on(table.peer_id, table.last_updated),
])

/** Append-only record of security-relevant actions (registration, renewal, GDPR...). */
export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: integer('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  subject: text('subject'),
  detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
}, (table) => [index('audit_log_by_subject').on(table.subject)])
