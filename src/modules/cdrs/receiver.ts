import { publicBase } from '../../ocpi/urls'
import { Hono, type Context } from 'hono'
import { readJson } from '../../ocpi/body'
import type { OcpiEnv } from '../../ocpi/context'
import { ownerOfBody } from '../../peers/routing'
import { respond } from '../../ocpi/envelope'
import { OcpiError } from '../../ocpi/errors'
import { interfacePath } from '../../ocpi/module'
import { fromWire, toWire } from '../../ocpi/version-adapters'
import { assertMayReceive, assertPeerOwns } from './routing'
import { type CDR } from '../../ocpi/objects/cdr'
import { cdrVersions } from '../../ocpi/objects/version-maps'
import { getReceivedCdr, insertReceivedCdr } from './store'

/**
 * CDRs Receiver interface (eMSP): POST creates, GET reads back at the URL the POST answered with. CDRs "cannot be
 * changed or replaced": a POST of a CDR already held is acknowledged when identical (a retry whose answer was lost) and
 * refused when different (a change must come as a credit CDR with a new id).
 */
export const receiver = new Hono<OcpiEnv>()
  .post('/', async (c) => {
    const cdr = fromWire(cdrVersions, c.var.version, await readJson(c), ownerOfBody(c, 'CPO'))
    await assertMayReceive(c, cdr)
    const written = await insertReceivedCdr(c.var.db, c.var.peer.id, cdr)
    if (written.outcome === 'conflict') {
      throw new OcpiError(2001, `CDR ${cdr.id} was already received with different content: CDRs cannot be changed, send a credit CDR`, { path: 'id' })
    }
    // mod_cdrs, POST "Response Headers": Location, required, "URL to the newly created CDR in the eMSP's system".
    // HTTP 201 Created with it, as RFC 2616 (which transport_and_format points to for the HTTP layer) defines; a
    // retried POST of the same CDR created nothing, so it gets 200 with the same Location.
    c.header('Location', cdrUrl(c, cdr))
    return respond(c, undefined, { http_status: written.outcome === 'created' ? 201 : 200 })
  })
  .get('/:country_code/:party_id/:cdr_id', async (c) => {
    const ref = { country_code: c.req.param('country_code'), party_id: c.req.param('party_id'), id: c.req.param('cdr_id') }
    assertPeerOwns(c, ref, 'CDR')
    const stored = await getReceivedCdr(c.var.db, ref)
    if (!stored) throw OcpiError.unknownObject('CDR')
    return respond(c, toWire(cdrVersions, c.var.version, stored.cdr))
  })

/** Where this platform serves a received CDR: {cdrs receiver endpoint}/{country_code}/{party_id}/{id}. */
function cdrUrl(c: Context<OcpiEnv>, cdr: CDR): string {
  const base = `${publicBase(c.env)}/ocpi/${c.var.version}/${interfacePath({ id: 'cdrs' }, 'RECEIVER')}`
  return [base, cdr.country_code, cdr.party_id, cdr.id].map((part, index) => (index === 0 ? part : encodeURIComponent(part))).join('/')
}
