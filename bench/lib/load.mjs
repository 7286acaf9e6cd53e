// One bounded load run with autocannon, reduced to the numbers the report prints.
import autocannon from 'autocannon'
import os from 'node:os'

/**
 * Runs `connections` concurrent clients for `duration` seconds against one request shape. `setupRequest` may vary the
 * request per call (a different token, say). Non-2xx answers and socket errors are counted, never silently mixed in.
 */
export async function measure({ url, method = 'GET', headers = {}, body, setupRequest, connections, duration }) {
  const result = await autocannon({
    url,
    connections,
    duration,
    pipelining: 1,
    // A request that times out is re-sent while the platform still works on the first: under overload that snowballs
    // into a run that completes nothing. A long timeout keeps a slow answer a (slow) sample instead.
    timeout: 60,
    requests: [{ method, headers, body, ...(setupRequest ? { setupRequest } : {}) }],
  })
  return {
    requests_per_second: round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    requests: result.requests.total,
    non_2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    connections,
    duration_s: duration,
    // The machine's 1-minute load average when the run ended: other work on the same cores lowers every number.
    load_average: round(os.loadavg()[0], 2),
  }
}

/** p-th percentile (0..100) of a list of numbers, nearest rank. */
export function percentile(values, p) {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

export const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits
