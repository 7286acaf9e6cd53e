import { Hono } from 'hono'
import { z } from 'zod'
import type { AdminEnv } from '../../admin/context'
import { parseWith } from '../../ocpi/body'
import { respondAdminPage } from '../../ocpi/page-response'
import { parsePageQuery } from '../../ocpi/paging'
import { listAllClientInfo } from '../../peers/client-info-store'

const Source = z.object({ source: z.enum(['own', 'received']).optional() })

/** GET /admin/v1/hubclientinfo?source=own|received&limit=&offset=: what we tell peers and what hubs told us. */
export const admin = new Hono<AdminEnv>().get('/hubclientinfo', async (c) => {
  const { source } = parseWith(Source, { source: c.req.query('source') })
  const query = parsePageQuery(c)
  const { total, rows } = await listAllClientInfo(c.var.db, { source, limit: query.limit, offset: query.offset })
  return respondAdminPage(c, query, { objects: rows, total })
})
