import { Hono } from 'hono'
import { database } from '../db/client'
import { jobsAdmin } from '../jobs/admin'
import { modules } from '../modules'
import { pushClientInfoChangesAfterWrites } from '../modules/hubclientinfo/push'
import { requireAdminToken } from './auth'
import type { AdminEnv } from './context'
import { toAdminResponse } from './errors'
import { partiesAdmin } from './parties'
import { openApiAdmin } from './openapi'
import { peersAdmin } from './peers'

export const admin = new Hono<AdminEnv>()

admin.use('*', requireAdminToken())
admin.use('*', async (c, next) => {
  c.set('db', database(c.env.DB))
  await next()
})
admin.use('*', pushClientInfoChangesAfterWrites())
admin.route('/', openApiAdmin)
admin.route('/', partiesAdmin)
admin.route('/', peersAdmin)
admin.route('/', jobsAdmin)
for (const module of modules) if (module.admin) admin.route('/', module.admin)

admin.notFound((c) => c.json({ error: { code: 404, message: 'Unknown management route' } }, 404))
admin.onError(toAdminResponse)
