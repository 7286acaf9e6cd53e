import { Hono } from 'hono'
import { admin } from './admin/app'
import { runScheduledJobs } from './cron'
import type { Env } from './env'
import { ocpi } from './ocpi/app'

const app = new Hono<{ Bindings: Env }>()
app.route('/ocpi', ocpi)
app.route('/admin/v1', admin)
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
