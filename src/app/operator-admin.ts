import { Hono } from 'hono'
import { z } from 'zod'
import { countersView, emptyCounters, mergePeerCounters, type PeerRequestCounters } from '../admin/request-stats'
import { STATS_FLUSH_INTERVAL_MS } from '../admin/request-stats-buffer'
import type { AdminEnv } from '../admin/context'
import { listAuditEntries } from '../db/audit-store'
import type { Env } from '../env'
import { listRecentJobs } from '../jobs/start'
import { listLiveSessions } from '../modules/sessions/store'
import { parseWith } from '../ocpi/body'
import { OcpiError } from '../ocpi/errors'
import { getPeer, listPeers } from '../peers/store'
import { peerOutbox } from '../push/publish'
import { flushRequestStats, requestStats } from './request-log'
import type { RefusedPush } from '../objects/peer-outbox'

// What the dashboard (/admin) shows beyond the other management routes: request counters per peer, refused pushes,
// the audit log, recent background jobs and live sessions. Each a plain management route, usable without the dashboard.

const limitOf = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback)
const AuditQuery = z.object({ limit: limitOf(200, 50), before: z.coerce.number().int().min(1).optional(), action: z.string().max(100).optional() })
const LimitQuery = z.object({ limit: limitOf(100, 20) })
const LiveSessionsQuery = z.object({ limit: limitOf(200, 50), finished: z.coerce.number().int().min(0).max(50).default(0) })

export const operatorAdmin = new Hono<AdminEnv>()
  .get('/peers/:peer_id/stats', async (c) => {
    const peerId = c.req.param('peer_id')
    if (!(await getPeer(c.get('db'), peerId))) throw OcpiError.unknownObject(`peer ${peerId}`)
    // This isolate's latest counts go first, so a request followed by this read is always counted.
    const local = requestStats.takePeer(peerId)
    if (local) await flushRequestStats(c.env, new Map([[peerId, local]]))
    const counters: PeerRequestCounters = mergePeerCounters({ total: emptyCounters(), modules: {} }, await peerOutbox(c.env, peerId).requestStats())
    return c.json({
      peer_id: peerId,
      ...countersView(counters.total),
      modules: Object.fromEntries(Object.entries(counters.modules).sort(([a], [b]) => a.localeCompare(b)).map(([module, moduleCounters]) => [module, countersView(moduleCounters)])),
      staleness_seconds: STATS_FLUSH_INTERVAL_MS / 1000,
    })
  })
  .get('/peers/:peer_id/refused-pushes', async (c) => {
    const peerId = c.req.param('peer_id')
    if (!(await getPeer(c.get('db'), peerId))) throw OcpiError.unknownObject(`peer ${peerId}`)
    const { limit } = parseWith(LimitQuery, c.req.query())
    return c.json((await peerOutbox(c.env, peerId).refused(limit)).map((push) => ({ peer_id: peerId, ...push })))
  })
  .get('/refused-pushes', async (c) => {
    const { limit } = parseWith(LimitQuery, c.req.query())
    const peers = (await listPeers(c.get('db'))).filter((peer) => peer.status !== 'PENDING')
    const perPeer = await Promise.all(peers.map(async (peer) => (await peerOutbox(c.env, peer.id).refused(limit) as RefusedPush[]).map((push) => ({ peer_id: peer.id, peer_name: peer.name, ...push }))))
    return c.json(perPeer.flat().sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit))
  })
  .get('/audit', async (c) => {
    const query = parseWith(AuditQuery, c.req.query())
    const entries = await listAuditEntries(c.get('db'), query)
    return c.json(entries.map((entry) => ({ ...entry, at: new Date(entry.at).toISOString() })))
  })
  .get('/jobs', async (c) => c.json(await listRecentJobs(c.env, parseWith(LimitQuery, c.req.query()).limit)))
  .get('/live-sessions', async (c) => {
    const sessions = await listLiveSessions(c.get('db'), parseWith(LiveSessionsQuery, c.req.query()))
    // No cdr_token: the driver's token uid and contract id are not needed to watch a charge.
    return c.json(sessions.map(({ session, peer_id, source }) => ({
      source, peer_id, country_code: session.country_code, party_id: session.party_id, id: session.id, status: session.status,
      location_id: session.location_id, evse_uid: session.evse_uid, connector_id: session.connector_id,
      start_date_time: session.start_date_time, end_date_time: session.end_date_time ?? null,
      kwh: session.kwh, total_cost: session.total_cost ?? null, currency: session.currency, last_updated: session.last_updated,
    })))
  })
