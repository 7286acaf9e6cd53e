import { respondPage } from '../../ocpi/page-response'
import { Hono, type Context } from 'hono'
import { readBody } from '../../ocpi/body'
import type { OcpiEnv } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { parsePageQuery } from '../../ocpi/paging'
import { completeHandover, handoverFor, handoverObject, handoverTokens } from './handover'
import { HandoverCompletion } from './schema'

/**
 * x-token-migration, SENDER interface: served by the platform a party leaves. Only the peer the party was offered to
 * (POST /admin/v1/migrations/export-party) sees anything; for every other peer the hand-over does not exist (2003).
 * That peer does not represent the party yet, so the offer, not its credentials roles, is what authorizes it.
 */
export const sender = new Hono<OcpiEnv>()
  .get('/:country_code/:party_id', async (c) => respond(c, handoverObject(await offered(c))))
  .get('/:country_code/:party_id/tokens', async (c) => {
    const migration = await offered(c)
    const query = parsePageQuery(c)
    const page = await handoverTokens(c.get('db'), migration, query)
    return respondPage(c, query, page)
  })
  .post('/:country_code/:party_id/complete', async (c) => {
    const { tokens_received } = await readBody(c, HandoverCompletion)
    return respond(c, handoverObject(await completeHandover(c.env, c.get('db'), await offered(c), tokens_received)))
  })

const offered = (c: Context<OcpiEnv>) => handoverFor(c.get('db'), c.get('peer').id, { country_code: c.req.param('country_code')!, party_id: c.req.param('party_id')! })
