import { Hono } from 'hono'
import { openReadSession } from '../../db/session'
import type { OcpiEnv } from '../../ocpi/context'
import { respondPage } from '../../ocpi/page-response'
import { parsePageQuery } from '../../ocpi/paging'
import { listRecords } from './store'

/**
 * Invoice Reconciliation Sender interface (Pull model): the hosted parties' records, date-paged, each only to the
 * peers representing the party it is for; a hub sees them all.
 */
export const sender = new Hono<OcpiEnv>().get('/', async (c) => {
  const query = parsePageQuery(c)
  const session = openReadSession(c.env, query.bookmark)
  const hub = c.get('peer').roles.some((role) => role.role === 'HUB')
  const page = await listRecords(session.db, { holder: 'own', ...(hub ? {} : { counterpartyOfPeer: c.get('peer').id }) }, query)
  return respondPage(c, query, { ...page, bookmark: session.bookmark() })
})
