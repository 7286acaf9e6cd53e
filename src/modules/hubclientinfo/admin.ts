import { Hono } from 'hono'
import { z } from 'zod'
import type { AdminEnv } from '../../admin/context'
import { parseWith } from '../../ocpi/body'
import { listAllClientInfo } from '../../peers/client-info-store'

const Query = z.object({
  source: z.enum(['own', 'received']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
})

/** GET /admin/v1/hubclientinfo?source=own|received&limit=&offset=: what we tell peers and what hubs told us. */
export const admin = new Hono<AdminEnv>().get('/hubclientinfo', async (c) => {
  const query = parseWith(Query, c.req.query())
  const { total, rows } = await listAllClientInfo(c.var.db, query)
  c.header('X-Total-Count', String(total))
  return c.json(rows)
})
