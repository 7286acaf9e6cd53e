import { Hono, type Context } from 'hono'
import { admin } from './app/admin'
import { configureMemos, forgetLocalMemos } from './db/memo'
import { runScheduledJobs } from './app/cron'
import type { Env } from './env'
import { ocpi, unknownEndpoint } from './app/ocpi'
import type { OcpiEnv } from './ocpi/context'
import { ourVersionsUrl } from './ocpi/urls'
import { toOcpiResponse } from './ocpi/respond-error'
import { requestLog } from './app/request-log'

// Not strict: peers build URLs from endpoint URLs with and without a trailing slash (the spec's own hubclientinfo
// examples end in `hubclientinfo/?date_from=`).
const app = new Hono<{ Bindings: Env }>({ strict: false })
// Per-isolate memos (src/db/memo.ts): the staleness bound from the vars, and a write made here seen here at once. Any
// write may change objects (the data versions); only registration (credentials) and the management of peers, parties
// and policies change peers, their tokens, hosted parties and policies (other code that does, e.g. a party handover,
// forgets its memo itself), so a receiver's PUT or an authorize leaves those remembered.
app.use('*', async (c, next) => {
  configureMemos(c.env)
  try {
    await next()
  } finally {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') forgetLocalMemos(changesSettings(c.req.path) ? 'all' : 'data')
  }
})
const changesSettings = (path: string) => /^\/admin\/v1\/(peers|parties|policies)(\/|$)/.test(path) || /^\/ocpi\/[^/]+\/credentials(\/|$)/.test(path)
app.use('/ocpi/*', requestLog())
app.use('/admin/v1/*', requestLog())
app.route('/ocpi', ocpi)
app.route('/admin/v1', admin)
// Hono calls only the top-level app's notFound; the context is the one the OCPI middleware (message IDs) already ran on.
app.notFound((c) =>
  c.req.path.startsWith('/ocpi/')
    ? toOcpiResponse(unknownEndpoint(), c as unknown as Context<OcpiEnv>)
    : c.json({ error: { code: 404, message: 'Unknown route' } }, 404),
)
app.get('/', (c) => c.json({ name: 'ocpi-edge', versions_url: ourVersionsUrl(c.env) }))

/** The worker: OCPI and the management API over HTTP, the scheduled jobs on the cron trigger. */
export const worker = {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    configureMemos(env)
    ctx.waitUntil(runScheduledJobs(env, controller.scheduledTime).finally(forgetLocalMemos))
  },
} satisfies ExportedHandler<Env>
