import { Hono } from 'hono'
import type { AdminEnv } from '../../admin/context'
import { partyQuery } from '../../admin/party-param'
import { OcpiError } from '../../ocpi/errors'
import { requestPeerModule } from '../../peers/module-request'
import { getPeer } from '../../peers/store'
import { X_SESSION_FEED } from './module-id'

/**
 * Aggregator side: `GET /admin/v1/session-feed/{peer_id}?date_from=&date_to=&offset=&limit=&to=CC*PID` reads one page of
 * a CPO peer's anonymised session feed, with its paging headers.
 */
export const admin = new Hono<AdminEnv>()
  .get('/session-feed/:peer_id', async (c) => {
    const peer = await getPeer(c.get('db'), c.req.param('peer_id'))
    if (!peer) throw OcpiError.unknownObject(`peer ${c.req.param('peer_id')}`)
    const query = Object.fromEntries(['date_from', 'date_to', 'offset', 'limit'].flatMap((name) => (c.req.query(name) ? [[name, c.req.query(name)]] : [])))
    const answer = await requestPeerModule<unknown[]>(c.env, peer, { module: X_SESSION_FEED, role: 'SENDER', method: 'GET', query, to: partyQuery(c.req.query('to')) })
    if (answer.status_code !== 1000 || !Array.isArray(answer.data)) throw new OcpiError(2000, `The peer answered status_code ${answer.status_code}`)
    const total = answer.headers?.get('X-Total-Count')
    if (total) c.header('X-Total-Count', total)
    return c.json(answer.data)
  })
