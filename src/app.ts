import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { admin } from './app/admin'
import { configureMemos, forgetLocalMemos } from './db/memo'
import { runScheduledJobs } from './app/cron'
import type { Env } from './env'
import { ocpi, unmatchedOcpiPath } from './app/ocpi'
import type { OcpiEnv } from './ocpi/context'
import { ourVersionsUrl } from './ocpi/urls'
import { toOcpiResponse } from './ocpi/respond-error'
import { requestLog } from './app/request-log'
import { toAdminResponse } from './admin/errors'
import type { AdminEnv } from './admin/context'

// Per-isolate memos (src/db/memo.ts): the staleness bound from the vars, and a write made here seen here at once. Any
// write may change objects (the data versions); only registration (credentials) and the management of peers, parties
// and policies change peers, their tokens, hosted parties and policies (other code that does, e.g. a party handover,
// forgets its memo itself), so a receiver's PUT or an authorize leaves those remembered.
const memos: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  configureMemos(c.env)
  try {
    await next()
  } finally {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') forgetLocalMemos(changesSettings(c.req.path) ? 'all' : 'data')
  }
}
const changesSettings = (path: string) => /^\/admin\/v1\/(peers|parties|policies)(\/|$)/.test(path) || /^\/ocpi\/[^/]+\/credentials(\/|$)/.test(path)

// Two apps, each with its own router. The OCPI app's routes all fit Hono's RegExpRouter (one regular expression per
// method, test/app/router.test.ts keeps it so); the management API's paths (DESIGN.md) put static segments beside
// parameters (`/peers/invite`, `/peers/:peer_id/renew`), which only the trie router serves. In one app the trie
// router would serve both, and its matching was a fifth of a cheap OCPI request's CPU.
// Not strict: peers build URLs from endpoint URLs with and without a trailing slash (the spec's own hubclientinfo
// examples end in `hubclientinfo/?date_from=`).
export const platformApp = new Hono<{ Bindings: Env }>({ strict: false })
platformApp.use('*', memos)
platformApp.use('/ocpi/*', requestLog())
platformApp.route('/ocpi', ocpi)
// Hono calls only the top-level app's notFound; the context is the one the OCPI middleware (message IDs) already ran on.
platformApp.notFound((c) =>
  c.req.path.startsWith('/ocpi/')
    ? toOcpiResponse(unmatchedOcpiPath(c.req.path), c as unknown as Context<OcpiEnv>)
    : c.json({ error: { code: 404, message: 'Unknown route' } }, 404),
)
// Errors are answered by the top-level app only: Hono wraps every route of a sub-app that has its own error handler in
// one more compose() per request, which was a tenth of a cheap request's allocations.
platformApp.onError((error, c) => toOcpiResponse(error, c as unknown as Context<OcpiEnv>))
platformApp.get('/', (c) => c.json({ name: 'ocpi-edge', versions_url: ourVersionsUrl(c.env) }))

export const managementApp = new Hono<{ Bindings: Env }>({ strict: false })
managementApp.use('*', memos)
managementApp.use('/admin/v1/*', requestLog())
managementApp.route('/admin/v1', admin)
managementApp.notFound((c) => c.json({ error: { code: 404, message: 'Unknown route' } }, 404))
managementApp.onError((error, c) => toAdminResponse(error, c as unknown as Context<AdminEnv>))

/** `/admin/v1` and below: the management API; everything else (OCPI, `/`) the platform app. */
export function isManagementPath(url: string): boolean {
  const path = url.indexOf('/', url.indexOf('//') + 2)
  return path >= 0 && url.startsWith('/admin/v1', path) && (url.length === path + 9 || '/?#'.includes(url[path + 9]!))
}

/** The worker: OCPI and the management API over HTTP, the scheduled jobs on the cron trigger. */
export const worker = {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => (isManagementPath(request.url) ? managementApp : platformApp).fetch(request, env, ctx),
  async scheduled(controller, env, ctx) {
    configureMemos(env)
    ctx.waitUntil(runScheduledJobs(env, controller.scheduledTime).finally(forgetLocalMemos))
  },
} satisfies ExportedHandler<Env>
