import { Hono } from 'hono'
import { databaseFor } from '../../db/shards'
import type { AdminEnv } from '../../admin/context'
import { parseWith } from '../../ocpi/body'
import { OcpiError } from '../../ocpi/errors'
import { readObjectBody } from '../../ocpi/object-body'
import { requestPeerModule } from '../../peers/module-request'
import { getPeer } from '../../peers/store'
import { ChargingLimits } from '../commands/limits'
import { X_CHARGING_LIMITS } from './module-id'

/** As eMSP: sets and reads the limits of a session at the CPO peer that runs it (x-charging-limits). */
export const admin = new Hono<AdminEnv>()
  .put('/charging-limits/:peer_id/:country_code/:party_id/:session_id', async (c) => {
    const limits = parseWith(ChargingLimits, await readObjectBody(c))
    return relay(c.env, c.req.param(), 'PUT', limits)
  })
  .get('/charging-limits/:peer_id/:country_code/:party_id/:session_id', async (c) => relay(c.env, c.req.param(), 'GET'))

async function relay(env: AdminEnv['Bindings'], param: { peer_id: string; country_code: string; party_id: string; session_id: string }, method: 'GET' | 'PUT', body?: unknown) {
  const peer = await getPeer(databaseFor(env), param.peer_id)
  if (!peer) throw OcpiError.unknownObject(`peer ${param.peer_id}`)
  const answer = await requestPeerModule(env, peer, {
    module: X_CHARGING_LIMITS, role: 'RECEIVER', method, path: [param.country_code, param.party_id, param.session_id], body,
    to: { country_code: param.country_code, party_id: param.party_id },
  })
  if (answer.status_code !== 1000) {
    const data = answer.data as { path?: string } | null
    throw new OcpiError(answer.status_code === 2003 ? 2003 : 2001, answer.status_message ?? `Peer answered ${answer.status_code}`, {
      ...(data?.path && { path: data.path }), ...(answer.status_code === 2003 && { http_status: 404 }),
    })
  }
  return Response.json(answer.data)
}
