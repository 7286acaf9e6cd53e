import type { Env } from '../env'

/** One bounded chunk of a job's work: the state to persist and whether the job is finished. */
export interface StepResult<State> { state: State; done: boolean }

/**
 * A kind of background job, contributed by the module that owns the work (src/objects/job-kinds.ts lists them). `step` does
 * one chunk that fits in one alarm (one page of a pull, a few hundred locations) and throws when the chunk failed; the
 * BackgroundJob retries the same state with backoff, so a step must be safe to run again after it threw.
 */
export interface JobKind<State> {
  step(env: Env, state: State): Promise<StepResult<State>>
  /** Called once when the job gives up as FAILED, e.g. to mark the record it works for; must not throw. */
  failed?(env: Env, state: State, error: string): Promise<void>
  /** The counts shown in `GET /admin/v1/jobs/{job_id}`. */
  progress(state: State): JobProgress
}

/** Counts and names (plain JSON), shown as a job's progress. */
export type JobProgress = Record<string, string | number | boolean | null | object>

export type JobStatus = 'RUNNING' | 'DONE' | 'FAILED' | 'CANCELLED'

export interface JobSpec { job_id: string; kind: string; state: unknown }

export interface JobView {
  job_id: string
  kind: string
  status: JobStatus
  progress: JobProgress
  /** Chunks done so far. */
  steps: number
  /** Consecutive failed attempts of the current chunk (0 after a success). */
  attempts: number
  last_error: string | null
  started_at: string
  updated_at: string
  finished_at: string | null
  next_attempt_at: string | null
}

/** Thrown by a step when trying again cannot help (e.g. the peer was deleted): the job fails at once. */
export class PermanentJobError extends Error {}

/** Work the cron trigger runs (src/app/cron.ts), each job isolated so one failure does not stop the others. */
export interface ScheduledJob {
  name: string
  run(env: Env, scheduledTime: number): Promise<void>
}
