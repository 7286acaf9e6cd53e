// Open-loop load: requests leave at a fixed arrival rate whatever the answers do, and each latency is measured from
// the time the request was scheduled, not from when it was actually sent, so time spent queueing (in the bench's own
// sockets, the platform, or an event loop running late) counts. A closed loop at a fixed concurrency would instead
// slow its own sending down when the platform slows, and hide that queueing.
import { performance } from 'node:perf_hooks'
import { percentile, round } from './stats.mjs'

/** Scheduled send times (ms from the start) of `rate` requests per second for `durationS` seconds. */
export function scheduleOffsets(rate, durationS) {
  if (!(rate > 0) || !(durationS > 0)) return []
  const count = Math.floor(rate * durationS)
  const interval = 1000 / rate
  return Array.from({ length: count }, (_, index) => index * interval)
}

/**
 * Calls `send(index)` at every scheduled time (never waiting for earlier calls to finish) and records, for each,
 * the time from its scheduled start to the settlement of its promise. A send that rejects counts as an error.
 * `clock` and `sleep` can be replaced in tests.
 */
export async function runOpenLoop({ rate, durationS, send, clock = () => performance.now(), sleep = defaultSleep }) {
  const offsets = scheduleOffsets(rate, durationS)
  const start = clock() + 5
  const latencies = []
  let errors = 0
  let maxLag = 0
  const pending = []
  for (let index = 0; index < offsets.length; index++) {
    const scheduledAt = start + offsets[index]
    const wait = scheduledAt - clock()
    if (wait > 1) await sleep(wait)
    else if (index % 64 === 63) await sleep(0) // behind schedule: still let answers in now and then
    maxLag = Math.max(maxLag, clock() - scheduledAt)
    const done = () => latencies.push(clock() - scheduledAt)
    const failed = () => errors++
    let outcome
    try {
      outcome = send(index)
    } catch {
      failed()
      continue
    }
    if (typeof outcome?.then === 'function') pending.push(outcome.then(done, failed))
    else done()
  }
  await Promise.all(pending)
  return { scheduled: offsets.length, latencies, errors, max_send_lag_ms: round(maxLag, 1) }
}

const defaultSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** The report of an open-loop run: rate, percentiles from scheduled time, errors. */
export function summarizeOpenLoop(result, { rate, durationS }) {
  const ms = (value) => (value === undefined ? undefined : round(value, 1))
  return {
    open_loop_rate: round(rate, 1),
    duration_s: durationS,
    p50_ms: ms(percentile(result.latencies, 50)),
    p90_ms: ms(percentile(result.latencies, 90)),
    p99_ms: ms(percentile(result.latencies, 99)),
    max_ms: ms(result.latencies.length ? Math.max(...result.latencies) : undefined),
    samples: result.latencies.length,
    scheduled: result.scheduled,
    errors: result.errors,
    max_send_lag_ms: result.max_send_lag_ms,
  }
}
