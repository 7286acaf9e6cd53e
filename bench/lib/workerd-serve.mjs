// A bench platform without `wrangler dev`: the bundled Worker served by workerd through Miniflare's API, with no
// local proxy in front and no inspector (unless `npm run bench:profile` asks for one). Run as its own process
// (`node bench/lib/workerd-serve.mjs <json>`) so the bench measures its CPU like a `wrangler dev` platform's. The
// bindings come from wrangler.toml exactly as wrangler reads them (`unstable_getMiniflareWorkerOptions`); D1, Durable
// Objects, R2 and the Cache API persist under `<persistTo>/v3`, the layout `wrangler dev --persist-to` uses, so every
// runtime serves the same seeded state.
//
// Two fronts (`front`):
// - `direct` (the production-like `workerd` runtime): the bench port is a socket of the Worker itself (Miniflare's
//   `unsafeDirectSockets`). On Cloudflare nothing runs as JavaScript in front of a Worker; the static assets
//   (`[assets]`, the dashboard) are matched by the platform before the Worker, and no bench request asks for one.
// - `entry` (the `miniflare` runtime): requests pass Miniflare's entry worker and its assets router first, two more
//   JavaScript workers in the same workerd. They cost about 0.7 ms of CPU per request on the bench machine, six times
//   a bare Worker request, so ratios to that floor flatter the Worker (bench/README.md).
import { Miniflare, convertV4MiniflareOptions } from 'miniflare'
import { createWriteStream } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { unstable_getMiniflareWorkerOptions } from 'wrangler'

const { script, port, persistTo, vars, inspectorPort, front = 'direct', logFile, logProbePort } = JSON.parse(process.argv[2])
const { workerOptions } = unstable_getMiniflareWorkerOptions('wrangler.toml')
// Crons are not run by the bench; the bundle is one ES module, so no module rules are needed.
const { cronTriggers, email, modulesRules, rootPath, connectHandlers, assets, ...options } = workerOptions
const direct = front === 'direct'

// The Worker's log lines (one JSON line per request) go to a file: on Cloudflare they leave the Worker for Workers
// Logs, into the invocation's trace. Printed on the bench's stdout, every line took a synchronous write to a pipe that
// the busy bench process drains, and workerd waited on it. Parsed by Miniflare, every line still went through a socket
// whose reader (this process) was woken for it: a `perf` profile of workerd serving /ocpi/versions put 10% of its CPU
// in that write, most of it waking the reader on the other core. So workerd's stdout is the file itself
// (workerd-stdout-to-file.sh, in place of the workerd binary): a line costs workerd its formatting and a write to the
// page cache. The lines are workerd's structured logs, one JSON object each with the Worker's line as `message`.
// Miniflare still reads stderr (warnings and errors) and hands it to the file below.
const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined
if (logFile) {
  process.env.BENCH_WORKERD_BINARY = createRequire(import.meta.url)('workerd').default
  process.env.BENCH_WORKERD_STDOUT = logFile
  process.env.MINIFLARE_WORKERD_PATH = fileURLToPath(new URL('./workerd-stdout-to-file.sh', import.meta.url))
}

// The log probe (bench/lib/platform.mjs, `logProbe`): a bare Worker on its own socket in the same workerd. `GET /`
// answers at once, `GET /log` writes one log line of the platform's shape first (a constant, so only the runtime's
// part is measured). workerd prints every console line to its stdout, formatted and flushed; on Cloudflare a line goes
// to the invocation's trace instead, so the difference is this runtime's charge, not necessarily production's.
const LOG_PROBE = `const line = ${JSON.stringify(JSON.stringify({ time: '2026-01-01T00:00:00.000Z', level: 'info', type: 'request', request_id: '0b5c7a0e-6d3f-4f7e-9a55-1c1d9b8e2f10', correlation_id: '9d2b3c1a-5e4f-4a6b-8c7d-2e1f0a9b8c7d', peer_id: 'bench-reader', module: 'versions', method: 'GET', route: '/ocpi/versions', status: 200, ocpi_status_code: 1000, duration_ms: 0.12 }))}
export default {
  fetch(request) {
    if (request.url.endsWith('/log')) console.log(line)
    return new Response('{"ok":true}', { headers: { 'Content-Type': 'application/json' } })
  },
}`

// Miniflare 5 takes a new option shape; wrangler's worker options are still in the v4 one it converts from.
const miniflare = new Miniflare({
  ...convertV4MiniflareOptions({
    host: '127.0.0.1',
    // With a direct socket, Miniflare's own entry socket is on a port of the system's choosing and unused.
    port: direct ? 0 : port,
    resourcePersistencePath: resolve(join(persistTo, 'v3')),
    workers: [{
      ...options,
      ...(direct ? { unsafeDirectSockets: [{ host: '127.0.0.1', port }] } : { assets }),
      name: 'ocpi-edge',
      modules: [{ type: 'ESModule', path: resolve(script) }],
      modulesRoot: resolve(script, '..'),
      bindings: { ...options.bindings, ...vars },
    }, ...(logProbePort ? [{
      name: 'bench-log-probe',
      modules: [{ type: 'ESModule', path: resolve(script, '..', 'log-probe.mjs'), contents: LOG_PROBE }],
      compatibilityDate: options.compatibilityDate,
      compatibilityFlags: options.compatibilityFlags,
      unsafeDirectSockets: [{ host: '127.0.0.1', port: logProbePort }],
    }] : [])],
  }),
  // No line per request from Miniflare itself (wrangler dev prints none either), no dev registry.
  logRequests: false,
  ...(log ? { handleStructuredLogs: ({ level, message }) => log.write(level === 'info' || level === 'log' ? `${message}\n` : `[${level}] ${message}\n`) } : {}),
  enableDevRegistry: false,
  // Only `npm run bench:profile` opens the inspector (DevTools protocol), to record a CPU profile of the Worker.
  ...(inspectorPort ? { inspectorPort } : {}),
})
await miniflare.ready
console.log(`serving on http://127.0.0.1:${port} (${front})`)

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    miniflare.dispose().finally(() => log ? log.end(() => process.exit(0)) : process.exit(0))
  })
}
