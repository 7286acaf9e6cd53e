import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'
import { jobKinds } from './job-kinds'
import { PermanentJobError, type JobSpec, type JobStatus, type JobView } from '../jobs/types'
import { isoOrNull } from '../ocpi/types'
import { configuredRetryDelay } from '../push/outbox-policy'
import { logError } from '../ocpi/log'

// One bulk operation (a policy change's pushes, a pull sync from a peer) run in bounded chunks, one per alarm, so no
// single request or invocation meets the Workers limits on subrequests and time (docs/jobs.md).

/** Failed attempts of one chunk before the job gives up as FAILED. */
export const MAX_ATTEMPTS = 8
/** How long a finished job stays readable before its storage is removed. */
export const RETENTION_MS = 30 * 24 * 3600 * 1000

interface JobRow {
  job_id: string
  kind: string
  state: string
  status: JobStatus
  steps: number
  attempts: number
  last_error: string | null
  started_at: number
  updated_at: number
  finished_at: number | null
  next_attempt_at: number | null
  [column: string]: SqlStorageValue
}

export class BackgroundJob extends DurableObject<Env> {
  /** A chunk is in progress: a second alarm() (a test forcing one) must not run the same chunk again alongside it. */
  #stepping = false

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.#createTable()
  }

  /** Starts the job with its first chunk due now; a second start of the same job returns it as it is. */
  async start(spec: JobSpec): Promise<JobView> {
    const existing = this.#row()
    if (existing) return toView(existing)
    if (!(spec.kind in jobKinds)) throw new Error(`Unknown job kind ${spec.kind}`)
    const now = Date.now()
    this.ctx.storage.sql.exec(
      `INSERT INTO job (singleton, job_id, kind, state, status, started_at, updated_at, next_attempt_at) VALUES (1, ?, ?, ?, 'RUNNING', ?, ?, ?)`,
      spec.job_id, spec.kind, JSON.stringify(spec.state), now, now, now,
    )
    await this.ctx.storage.setAlarm(now)
    return toView(this.#row()!)
  }

  /** The job as an operator sees it; undefined when no job was started under this id. */
  status(): JobView | undefined {
    const row = this.#row()
    return row && toView(row)
  }

  /** The state a job was left in: e.g. a policy change taking over from the unfinished one it supersedes. */
  state(): unknown {
    const row = this.#row()
    return row && JSON.parse(row.state)
  }

  /** Stops a running job after its current chunk; the work done so far stays done. */
  async cancel(): Promise<JobView | undefined> {
    const row = this.#row()
    if (!row) return undefined
    if (row.status === 'RUNNING') {
      const now = Date.now()
      this.ctx.storage.sql.exec(`UPDATE job SET status = 'CANCELLED', finished_at = ?, updated_at = ?, next_attempt_at = NULL`, now, now)
      await this.ctx.storage.setAlarm(now + RETENTION_MS)
    }
    return toView(this.#row()!)
  }

  override async alarm(): Promise<void> {
    const row = this.#row()
    if (!row) return
    if (row.status !== 'RUNNING') {
      const expiresAt = (row.finished_at ?? row.updated_at) + RETENTION_MS
      if (Date.now() >= expiresAt) {
        await this.ctx.storage.deleteAll()
        this.#createTable() // the instance lives on until evicted: a later status() finds no job, not no table
      } else await this.ctx.storage.setAlarm(expiresAt)
      return
    }
    if (this.#stepping) return
    this.#stepping = true
    let outcome: { state: unknown; done: boolean }
    try {
      const kind = jobKinds[row.kind]
      if (!kind) throw new Error(`Unknown job kind ${row.kind}`)
      outcome = await kind.step(this.env, JSON.parse(row.state) as never)
    } catch (error) {
      // Never throw from alarm(): the runtime's own retries are few and invisible. Count, back off, show the error.
      return await this.#failed(error instanceof Error ? error.message : String(error), error instanceof PermanentJobError)
    } finally {
      this.#stepping = false
    }
    // cancel() may have run while the chunk was waiting on the network: it wins.
    if (this.#row()?.status !== 'RUNNING') return
    const now = Date.now()
    this.ctx.storage.sql.exec(
      `UPDATE job SET state = ?, steps = steps + 1, attempts = 0, status = ?, updated_at = ?, finished_at = ?, next_attempt_at = ?`,
      JSON.stringify(outcome.state), outcome.done ? 'DONE' : 'RUNNING', now, outcome.done ? now : null, outcome.done ? null : now,
    )
    await this.ctx.storage.setAlarm(outcome.done ? now + RETENTION_MS : now)
  }

  async #failed(message: string, permanent: boolean): Promise<void> {
    const row = this.#row()
    if (row?.status !== 'RUNNING') return
    const attempts = row.attempts + 1
    const now = Date.now()
    if (permanent || attempts >= MAX_ATTEMPTS) {
      this.ctx.storage.sql.exec(`UPDATE job SET status = 'FAILED', attempts = ?, last_error = ?, updated_at = ?, finished_at = ?, next_attempt_at = NULL`, attempts, message, now, now)
      await jobKinds[row.kind]?.failed?.(this.env, JSON.parse(row.state) as never, message).catch((error: unknown) => logError(`job failed hook ${row.job_id}`, error))
      return this.ctx.storage.setAlarm(now + RETENTION_MS)
    }
    const next = now + configuredRetryDelay(this.env, attempts)
    this.ctx.storage.sql.exec(`UPDATE job SET attempts = ?, last_error = ?, updated_at = ?, next_attempt_at = ?`, attempts, message, now, next)
    await this.ctx.storage.setAlarm(next)
  }

  #createTable() {
    // One row: this instance is one job (idFromName(job_id)).
    this.ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS job (
      singleton INTEGER PRIMARY KEY CHECK (singleton = 1), job_id TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL,
      status TEXT NOT NULL, steps INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
      started_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, finished_at INTEGER, next_attempt_at INTEGER)`)
  }

  #row(): JobRow | undefined {
    return this.ctx.storage.sql.exec<JobRow>('SELECT * FROM job').toArray()[0]
  }
}

function toView(row: JobRow): JobView {
  const kind = jobKinds[row.kind]
  return {
    job_id: row.job_id,
    kind: row.kind,
    status: row.status,
    progress: kind ? kind.progress(JSON.parse(row.state) as never) : {},
    steps: row.steps,
    attempts: row.attempts,
    last_error: row.last_error,
    started_at: new Date(row.started_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
    finished_at: isoOrNull(row.finished_at),
    next_attempt_at: isoOrNull(row.next_attempt_at),
  }
}
