import { Hono } from 'hono'
import { etag } from 'hono/etag'
import { databaseFor } from '../db/shards'
import { jobsAdmin } from '../jobs/admin'
import { modules } from './modules'
import { pushClientInfoChangesAfterWrites } from '../modules/hubclientinfo/push'
import { requireAdminToken } from '../admin/auth'
import type { AdminEnv } from '../admin/context'
import { partiesAdmin } from './parties-admin'
import { peersAdmin } from './peers-admin'
import { openApiAdmin } from './openapi'
import { operatorAdmin } from './operator-admin'

export const admin = new Hono<AdminEnv>()

admin.use('*', requireAdminToken())
admin.use('*', async (c, next) => {
  c.set('db', databaseFor(c.env))
  await next()
})
admin.use('*', pushClientInfoChangesAfterWrites())
// The dashboard polls with If-None-Match: an unchanged answer is a bodiless 304 (docs/dashboard.md).
admin.use('*', etag())
admin.route('/', openApiAdmin)
admin.route('/', partiesAdmin)
admin.route('/', peersAdmin)
admin.route('/', operatorAdmin)
admin.route('/', jobsAdmin)
for (const module of modules) if (module.admin) admin.route('/', module.admin)

