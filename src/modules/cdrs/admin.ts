import { respondAdminPage } from '../../ocpi/page-response'
import { withIngestWarnings } from '../../db/ingest-warnings'
import { ingestKey } from '../../ocpi/ingest'
import { Hono } from 'hono'
import { z } from 'zod'
import type { AdminEnv } from '../../admin/context'
import { parseWith, readJson } from '../../ocpi/body'
import { OcpiError } from '../../ocpi/errors'
import { CiString, DateTime } from '../../ocpi/types'
import { findHostedParty } from '../../peers/parties'
import { AdminSource, parseRecordListQuery } from './admin-query'
import { publishCdr } from './push'
import { receiptAdmin } from './receipt-admin'
import { assertSameIds } from './routing'
import { CDR } from '../../ocpi/objects/cdr'
import { getCdr, insertOwnCdr, listCdrs } from './store'

/** Management bodies use the 2.3.0 shape; the owner may be left to the URL and last_updated to the clock. */
const OwnCdrIds = z.looseObject({ id: CiString(39), country_code: CiString(2).optional(), party_id: CiString(3).optional(), last_updated: DateTime.optional() })

/** Owner creation of hosted CPOs' CDRs, each posted to the peers representing the token's eMSP; reads of own and received CDRs. */
export const admin = new Hono<AdminEnv>()
  .route('/', receiptAdmin)
  .post('/cdrs/:country_code/:party_id', async (c) => {
    const party = await findHostedParty(c.get('db'), { country_code: c.req.param('country_code'), party_id: c.req.param('party_id') }, 'CPO')
    if (!party) throw new OcpiError(2003, `${c.req.param('country_code')}*${c.req.param('party_id')} is not a CPO hosted on this platform`)
    const body = parseWith(OwnCdrIds, await readJson(c))
    assertSameIds({ country_code: party.country_code, party_id: party.party_id, id: body.id }, body)
    const cdr = parseWith(CDR, { ...body, country_code: party.country_code, party_id: party.party_id, last_updated: body.last_updated ?? new Date().toISOString() })
    const written = await insertOwnCdr(c.get('db'), cdr)
    if (written.outcome !== 'created') {
      throw new OcpiError(2001, `CDR ${cdr.id} already exists: CDRs are immutable, create a credit CDR with a new id`, { http_status: 409, path: 'id' })
    }
    await publishCdr(c.env, c.get('db'), cdr)
    return c.json(cdr, 201)
  })
  .get('/cdrs', async (c) => {
    const { filter, page: query } = parseRecordListQuery(c)
    const page = await listCdrs(c.get('db'), filter, query)
    return respondAdminPage(c, query, { ...page, objects: await withIngestWarnings(c.get('db'), 'cdrs', page.objects, objectKey) })
  })
  .get('/cdrs/:country_code/:party_id/:cdr_id', async (c) => {
    const { source } = parseWith(AdminSource, c.req.query())
    const ref = { country_code: c.req.param('country_code'), party_id: c.req.param('party_id'), id: c.req.param('cdr_id') }
    const stored = await getCdr(c.get('db'), source, ref)
    if (!stored) throw new OcpiError(2003, `Unknown ${source} CDR ${ref.id}`)
    const [view] = await withIngestWarnings(c.get('db'), 'cdrs', [stored.cdr], objectKey)
    return c.json(view)
  })

/** The key of a CDR's ingest warnings (src/ocpi/ingest.ts). */
const objectKey = (cdr: { country_code: string; party_id: string; id: string }) => ingestKey(cdr.country_code, cdr.party_id, cdr.id)
