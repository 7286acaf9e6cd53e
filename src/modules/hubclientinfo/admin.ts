import { Hono } from 'hono'
import type { AdminEnv } from '../../admin/context'
import { sourceQuery } from '../../admin/source-param'
import { respondAdminPage } from '../../ocpi/page-response'
import { parsePageQuery } from '../../ocpi/paging'
import { listAllClientInfo } from '../../peers/client-info-store'

/** GET /admin/v1/hubclientinfo?source=own|received|{peer_id}&limit=&offset=: what we tell peers and what hubs told us. */
export const admin = new Hono<AdminEnv>().get('/hubclientinfo', async (c) => {
  const source = sourceQuery(c.req.query('source'), undefined)
  const query = parsePageQuery(c)
  const { total, rows } = await listAllClientInfo(c.get('db'), { ...source, limit: query.limit, offset: query.offset })
  return respondAdminPage(c, query, { objects: rows, total })
})
