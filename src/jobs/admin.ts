import { Hono } from 'hono'
import type { AdminEnv } from '../admin/context'
import { OcpiError } from '../ocpi/errors'
import { backgroundJob } from './start'

/** Watching and stopping background jobs (docs/jobs.md). */
export const jobsAdmin = new Hono<AdminEnv>()
  .get('/jobs/:job_id', async (c) => {
    const job = await backgroundJob(c.env, c.req.param('job_id')).status()
    if (!job) throw OcpiError.unknownObject(`job ${c.req.param('job_id')}`)
    return c.json(job)
  })
  .post('/jobs/:job_id/cancel', async (c) => {
    const job = await backgroundJob(c.env, c.req.param('job_id')).cancel()
    if (!job) throw OcpiError.unknownObject(`job ${c.req.param('job_id')}`)
    return c.json(job)
  })
