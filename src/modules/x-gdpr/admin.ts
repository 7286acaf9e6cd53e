import { Hono, type Context } from 'hono'
import type { AdminEnv } from '../../admin/context'
import type { GdprRequestKind } from '../../db/schema'
import { parseWith, readJson } from '../../ocpi/body'
import { OcpiError } from '../../ocpi/errors'
import { findHostedParty } from '../../peers/parties'
import { sendGdprRequest } from './client'
import { GdprSubject } from './schema'
import { getGdprRequest, type GdprRequestRow } from './store'

/** eMSP operators: ask a peer (a CPO) for a driver's data or its erasure, and read the outcome later. */
export const admin = new Hono<AdminEnv>()
  .post('/gdpr/:peer_id/access', async (c) => c.json(toRequest(await send(c, 'ACCESS')), 201))
  .post('/gdpr/:peer_id/forget', async (c) => c.json(toRequest(await send(c, 'FORGET')), 201))
  .get('/gdpr/requests/:id', async (c) => {
    const row = await getGdprRequest(c.get('db'), c.req.param('id'))
    if (!row) throw OcpiError.unknownObject('GDPR request')
    return c.json(toRequest(row))
  })

async function send(c: Context<AdminEnv>, kind: GdprRequestKind) {
  const parsed = parseWith(GdprSubject, await readJson(c))
  const subject = { ...parsed, country_code: parsed.country_code.toUpperCase(), party_id: parsed.party_id.toUpperCase() }
  // Only a party hosted here may speak for its drivers; the peer would refuse anyone else anyway (2001).
  if (!(await findHostedParty(c.get('db'), subject, 'EMSP'))) throw new OcpiError(2001, `${subject.country_code}*${subject.party_id} is not an eMSP party hosted here`, { path: 'party_id' })
  return sendGdprRequest(c.get('db'), c.env, c.req.param('peer_id')!, kind, subject)
}

const toRequest = (row: GdprRequestRow) => ({
  id: row.id,
  peer_id: row.peer_id,
  kind: row.kind,
  subject: { country_code: row.country_code, party_id: row.party_id, uid: row.uid, ...(row.token_type ? { type: row.token_type } : {}) },
  status: row.status,
  status_code: row.status_code,
  status_message: row.status_message,
  result: row.result,
  created_at: new Date(row.created_at).toISOString(),
  completed_at: row.completed_at === null ? null : new Date(row.completed_at).toISOString(),
})
