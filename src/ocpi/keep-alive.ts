import type { Context } from 'hono'

/**
 * The request's waitUntil, as a function: work that may finish after the response is sent, kept alive by the runtime
 * until it settles. Without an execution context (`app.request` in a test) the work just runs on.
 */
export function keepAliveOf(c: Context): (work: Promise<unknown>) => void {
  return (work) => {
    try {
      c.executionCtx.waitUntil(work)
    } catch {
      void work
    }
  }
}
