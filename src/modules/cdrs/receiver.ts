import { publicBase } from '../../ocpi/urls'
import { Hono, type Context } from 'hono'
import { readJson } from '../../ocpi/body'
import type { OcpiEnv } from '../../ocpi/context'
import { ownerOfBody } from '../../peers/routing'
import { respond } from '../../ocpi/envelope'
import { OcpiError } from '../../ocpi/errors'
import { interfacePath } from '../../ocpi/module'
import { toWire } from '../../ocpi/version-adapters'
import { ingestKey, readPushed } from '../../ocpi/ingest'
import { replaceIngestWarnings } from '../../db/ingest-warnings'
import { assertMayReceive, assertPeerOwns, withTokenParty211 } from './routing'
import { type CDR } from '../../ocpi/objects/cdr'
import { cdrVersions } from '../../ocpi/objects/version-maps'
import { getReceivedCdr, insertReceivedCdr } from './store'
import { agreesToBookings, agreesToCostBreakdown, cdrForPeer } from './for-peer'

/**
 * CDRs Receiver interface (eMSP): POST creates, GET reads back at the URL the POST answered with. CDRs "cannot be
 * changed or replaced": a POST of a CDR already held is acknowledged when identical (a retry whose answer was lost) and
 * refused when different (a change must come as a credit CDR with a new id).
 */
export const receiver = new Hono<OcpiEnv>()
  .post('/', async (c) => {
    // A cost_breakdown from a peer that did not agree to the extension is an unknown field: neither checked nor kept.
    const pushed = readPushed(c, cdrVersions, withoutUnagreedFields(c, await readJson(c)), ownerOfBody(c, 'CPO'))
    const { warnings } = pushed
    const cdr = await withTokenParty211(c, pushed.object)
    await assertMayReceive(c, cdr)
    const written = await insertReceivedCdr(c.get('db'), c.get('peer').id, cdr)
    if (written.outcome === 'conflict') {
      throw new OcpiError(2001, `CDR ${cdr.id} was already received with different content: CDRs cannot be changed, send a credit CDR`, { path: 'id' })
    }
    if (written.outcome === 'created') await replaceIngestWarnings(c.get('db'), { module: 'cdrs', key: ingestKey(cdr.country_code, cdr.party_id, cdr.id), peerId: c.get('peer').id, warnings })
    // mod_cdrs, POST "Response Headers": Location, required, "URL to the newly created CDR in the eMSP's system".
    // HTTP 201 Created with it, as RFC 2616 (which transport_and_format points to for the HTTP layer) defines; a
    // retried POST of the same CDR created nothing, so it gets 200 with the same Location.
    c.header('Location', cdrUrl(c, cdr))
    return respond(c, undefined, { http_status: written.outcome === 'created' ? 201 : 200 })
  })
  .get('/:country_code/:party_id/:cdr_id', async (c) => {
    const ref = { country_code: c.req.param('country_code'), party_id: c.req.param('party_id'), id: c.req.param('cdr_id') }
    assertPeerOwns(c, ref, 'CDR')
    const stored = await getReceivedCdr(c.get('db'), ref)
    if (!stored) throw OcpiError.unknownObject('CDR')
    return respond(c, toWire(cdrVersions, c.get('version'), cdrForPeer(stored.cdr, { tariffGroups: true, costBreakdown: agreesToCostBreakdown(c.get('peer')), bookings: agreesToBookings(c.get('peer')) })))
  })

/** Where this platform serves a received CDR: {cdrs receiver endpoint}/{country_code}/{party_id}/{id}. */
function cdrUrl(c: Context<OcpiEnv>, cdr: CDR): string {
  const base = `${publicBase(c.env)}/ocpi/${c.get('version')}/${interfacePath({ id: 'cdrs' }, 'RECEIVER')}`
  return [base, cdr.country_code, cdr.party_id, cdr.id].map((part, index) => (index === 0 ? part : encodeURIComponent(part))).join('/')
}

/**
 * transport_and_format, "Non-specified JSON fields": never refuse a payload for a field the version does not define.
 * A field of an extension the peer did not agree to is such a field for it (for-peer.ts), so it is dropped unread.
 */
function withoutUnagreedFields(c: Context<OcpiEnv>, body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body
  const unagreed = [...(agreesToCostBreakdown(c.get('peer')) ? [] : ['cost_breakdown']), ...(agreesToBookings(c.get('peer')) ? [] : ['booking_id'])]
  if (!unagreed.some((field) => field in body)) return body
  return Object.fromEntries(Object.entries(body).filter(([field]) => !unagreed.includes(field)))
}
