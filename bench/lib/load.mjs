// One bounded load run, reduced to the numbers the report prints: closed loop with autocannon (`measure`), or open
// loop at a fixed arrival rate with the lean sender (`measureOpenLoop`).
import autocannon from 'autocannon'
import os from 'node:os'
import { processGroupCpuMs } from './cpu.mjs'
import { httpSender } from './lean-http.mjs'
import { runOpenLoop, summarizeOpenLoop } from './open-loop.mjs'
import { round } from './stats.mjs'

/**
 * Runs `connections` concurrent clients for `duration` seconds against one request shape. `setupRequest` may vary the
 * request per call (a different token, say). Non-2xx answers and socket errors are counted, never silently mixed in.
 * `platforms` (running platforms) are the processes whose CPU time per request is reported.
 */
export async function measure({ url, method = 'GET', headers = {}, body, setupRequest, connections, duration, platforms = [] }) {
  // One request first, answered only once whatever the previous run left queued is done: runs never overlap.
  await fetch(url, { method, headers, body }).then((response) => response.arrayBuffer())
  const groups = platforms.map((platform) => platform.child.pid)
  const cpuBefore = await processGroupCpuMs(groups)
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
  const cpuAfter = await processGroupCpuMs(groups)
  const completed = result.requests.total
  return {
    requests_per_second: round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    requests: completed,
    // Includes the requests still in flight when the run ended, so it slightly overstates the cost of slow pages.
    platform_cpu_ms_per_request: perRequest(cpuBefore?.total, cpuAfter?.total, completed, groups),
    workerd_cpu_ms_per_request: perRequest(cpuBefore?.workerd, cpuAfter?.workerd, completed, groups),
    non_2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    connections,
    duration_s: duration,
    // The machine's 1-minute load average when the run ended: other work on the same cores lowers every number.
    load_average: round(os.loadavg()[0], 2),
  }
}

/**
 * Sends `requestOf(index)` to `baseUrl` at `rate` requests a second for `durationS` seconds, whether or not earlier
 * ones were answered (bench/lib/open-loop.mjs), over the lean keep-alive sender; latencies from each scheduled time.
 */
export async function measureOpenLoop({ baseUrl, requestOf, rate, durationS }) {
  const client = httpSender(baseUrl, requestOf)
  try {
    return summarizeOpenLoop(await runOpenLoop({ rate, durationS, send: client.send }), { rate, durationS })
  } finally {
    client.close()
  }
}

const perRequest = (before, after, completed, groups) =>
  before === undefined || completed === 0 || groups.length === 0 ? undefined : round((after - before) / completed, 3)

export { percentile, round } from './stats.mjs'
