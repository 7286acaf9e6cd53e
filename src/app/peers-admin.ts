import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { Env } from '../env'
import { parseWith, readJson } from '../ocpi/body'
import { OcpiError } from '../ocpi/errors'
import { isoOrNull, URL } from '../ocpi/types'
import { SUPPORTED_VERSIONS } from '../ocpi/versions'
import type { OutboxStats } from '../push/types'
import { modules } from './modules'
import { CredentialsToken } from '../ocpi/objects/credentials'
import { CountryCode, PartyId, Role } from '../ocpi/types'
import { approvePendingRoles, rejectPendingRoles } from '../peers/role-review'
import { invalidatePushPeers, peerOutbox } from '../push/publish'
import { isCustomModule } from '../peers/extensions'
import { connectToPeer, invitePeer, refreshPeer, renewCredentials, setPeerExtensions, unregisterPeer, updatePeerSettings } from '../peers/registration'
import { INGEST_MODES } from '../ocpi/ingest'
import { getPeer, listPeers, type Peer } from '../peers/store'
import { outboundState } from '../peers/token-rejection'
import type { AdminEnv } from '../admin/context'
import { logError } from '../ocpi/log'

/** Custom modules agreed with the peer: only x- modules this platform implements, each once. */
const Extensions = z.array(
  z.string().refine((id) => implementedExtensions().includes(id), {
    error: (issue) => `Unknown extension ${JSON.stringify(issue.input)}: this platform implements ${implementedExtensions().join(', ') || 'none'}`,
  }),
).transform((ids) => [...new Set(ids)])
const implementedExtensions = () => modules.map((module) => module.id).filter(isCustomModule)

/** A party and role the peer may hold: exact, no wildcards (a wildcard would hand over parties that appear later). */
const RoleGrant = z.object({ country_code: CountryCode, party_id: PartyId, role: Role })
const RoleSelection = z.array(RoleGrant).max(1000)
const PeerSettings = {
  name: z.string().max(100).optional(),
  extensions: Extensions.optional(),
  grants: RoleSelection.optional(),
  credentials_post_status: z.union([z.literal(200), z.literal(201)]).optional(),
  ingest: z.enum(INGEST_MODES).optional(),
  party: z.object({ country_code: CountryCode, party_id: PartyId }).optional(),
}
const Invite = z.object(PeerSettings)
const Connect = z.object({
  versions_url: URL.pipe(z.url({ protocol: /^https?$/ })),
  token_a: CredentialsToken,
  version: z.enum(SUPPORTED_VERSIONS).optional(),
  ...PeerSettings,
})
const Approval = z.object({ roles: RoleSelection.optional(), override: z.boolean().optional() })
const Rejection = z.object({ roles: RoleSelection.optional() })
const PeerUpdate = z.strictObject({ ingest: z.enum(INGEST_MODES).optional() })
const ExtensionsChoice = z.object({ extensions: Extensions })
const VersionChoice = z.object({ version: z.enum(SUPPORTED_VERSIONS).optional() })

/** Peers: registration both ways, renewal, refresh, unregistration. Tokens are never shown, except token A at invite time. */
export const peersAdmin = new Hono<AdminEnv>()
  .post('/peers/invite', async (c) => c.json(await invitePeer(c.env, parseWith(Invite, await readOptionalJson(c))), 201))
  .post('/peers/connect', async (c) => {
    const peer = await connectToPeer(c.env, parseWith(Connect, await readJson(c)))
    return c.json({ peer_id: peer.id, version: peer.version, roles: peer.roles, pending_roles: peer.pending_roles, extensions: peer.extensions, status: peer.status }, 201)
  })
  .get('/peers', async (c) => c.json(await Promise.all((await listPeers(c.get('db'))).map((peer) => peerView(c.env, peer)))))
  .get('/peers/:peer_id', async (c) => {
    const peer = await getPeer(c.get('db'), c.req.param('peer_id'))
    if (!peer) throw OcpiError.unknownObject(`peer ${c.req.param('peer_id')}`)
    return c.json(await peerView(c.env, peer))
  })
  .post('/peers/:peer_id/renew', async (c) => {
    const { version } = parseWith(VersionChoice, await readOptionalJson(c))
    return c.json(await peerView(c.env, await renewCredentials(c.env, c.req.param('peer_id'), { version })))
  })
  .post('/peers/:peer_id/refresh', async (c) => {
    const { version } = parseWith(VersionChoice, await readOptionalJson(c))
    return c.json(await peerView(c.env, await refreshPeer(c.env, c.req.param('peer_id'), { version })))
  })
  .patch('/peers/:peer_id', async (c) => c.json(await peerView(c.env, await updatePeerSettings(c.env, c.req.param('peer_id'), parseWith(PeerUpdate, await readJson(c))))))
  .put('/peers/:peer_id/extensions', async (c) => {
    const { extensions } = parseWith(ExtensionsChoice, await readJson(c))
    return c.json(await peerView(c.env, await setPeerExtensions(c.env, c.req.param('peer_id'), extensions)))
  })
  .post('/peers/:peer_id/roles/approve', async (c) => {
    const peer = await approvePendingRoles(c.env, c.req.param('peer_id'), parseWith(Approval, await readOptionalJson(c)))
    invalidatePushPeers()
    return c.json(await peerView(c.env, peer))
  })
  .post('/peers/:peer_id/roles/reject', async (c) =>
    c.json(await peerView(c.env, await rejectPendingRoles(c.env, c.req.param('peer_id'), parseWith(Rejection, await readOptionalJson(c))))))
  .delete('/peers/:peer_id', async (c) => c.json(await peerView(c.env, await unregisterPeer(c.env, c.req.param('peer_id')))))

/** Everything an operator needs about a peer, without its tokens. */
async function peerView(env: Env, peer: Peer) {
  return {
    peer_id: peer.id,
    name: peer.name,
    status: peer.status,
    initiated_by: peer.initiated_by,
    version: peer.version,
    versions_url: peer.versions_url,
    roles: peer.roles,
    pending_roles: peer.pending_roles,
    grants: peer.grants,
    credentials_post_status: peer.credentials_post_status,
    ingest: peer.ingest,
    party: peer.own_party,
    hub_party_id: peer.hub_party_id,
    extensions: peer.extensions,
    endpoints: peer.endpoints,
    created_at: isoOrNull(peer.created_at),
    updated_at: isoOrNull(peer.updated_at),
    credentials_rotated_at: isoOrNull(peer.credentials_rotated_at),
    last_error: peer.last_error,
    // TOKEN_REJECTED: the peer answered TOKEN_REJECTED_AFTER_401S calls in a row with 401; the outbox holds until a renew or refresh.
    token_state: outboundState(peer),
    consecutive_401s: peer.unauthorized_streak,
    token_rejected_at: isoOrNull(peer.token_rejected_at),
    outbox: await outboxStats(env, peer.id),
  }
}

/** The peer's PeerOutbox depth and delivery state; null when the Durable Object cannot be reached right now. */
async function outboxStats(env: Env, peerId: string): Promise<OutboxStats | null> {
  try {
    return await peerOutbox(env, peerId).stats()
  } catch (error) {
    logError(`outbox stats for peer ${peerId}`, error)
    return null
  }
}

/** An empty body is an empty object here (POST /peers/invite, /renew and /refresh take only optional fields). */
const readOptionalJson = async (c: Context<AdminEnv>): Promise<unknown> => ((await c.req.raw.clone().text()).trim() === '' ? {} : readJson(c))
