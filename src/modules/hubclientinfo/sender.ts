import { respondPage } from '../../ocpi/page-response'
import { Hono } from 'hono'
import { openReadSession } from '../../db/session'
import type { OcpiEnv } from '../../ocpi/context'
import { parsePageQuery } from '../../ocpi/paging'
import { listOwnClientInfo } from '../../peers/client-info-store'

/**
 * HubClientInfo Sender interface: the connection status of every party reachable through this platform (our hosted
 * parties and our peers' roles), last_updated between date_from (inclusive) and date_to (exclusive), paginated.
 */
export const sender = new Hono<OcpiEnv>().get('/', async (c) => {
  const query = parsePageQuery(c)
  const session = openReadSession(c.env, query.bookmark)
  const page = await listOwnClientInfo(session.db, query)
  return respondPage(c, query, { ...page, bookmark: session.bookmark() })
})
