import { Hono, type Context } from 'hono'
import { admin } from './admin/app'
import { runScheduledJobs } from './cron'
import type { Env } from './env'
import { ocpi } from './ocpi/app'
import type { OcpiEnv } from './ocpi/context'
import { OcpiError } from './ocpi/errors'
import { toOcpiResponse } from './ocpi/respond-error'

// Not strict: peers build URLs from endpoint URLs with and without a trailing slash (the spec's own hubclientinfo
// examples end in `hubclientinfo/?date_from=`).
const app = new Hono<{ Bindings: Env }>({ strict: false })
app.route('/ocpi', ocpi)
app.route('/admin/v1', admin)
// Hono calls only the top-level app's notFound; the context is the one the OCPI middleware (message IDs) already ran on.
app.notFound((c) =>
  c.req.path.startsWith('/ocpi/')
    ? toOcpiResponse(new OcpiError(2000, 'Unknown OCPI endpoint', { http_status: 404 }), c as unknown as Context<OcpiEnv>)
    : c.json({ error: { code: 404, message: 'Unknown route' } }, 404),
)
app.get('/', (c) => c.json({ name: 'ocpi-edge', versions_url: `${c.env.PUBLIC_URL.replace(/\/$/, '')}/ocpi/versions` }))

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduledJobs(env, controller.scheduledTime))
  },
} satisfies ExportedHandler<Env>

export { PeerOutbox } from './objects/peer-outbox'
export { ChargingSession } from './objects/charging-session'
export { CommandTracker } from './objects/command-tracker'
export { BackgroundJob } from './objects/background-job'
