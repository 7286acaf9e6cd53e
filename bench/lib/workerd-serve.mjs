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
import { RUNTIME_PROBE_SOURCE } from './runtime-probe.mjs'

const { script, port, persistTo, vars, inspectorPort, front = 'direct', logFile, probePort } = JSON.parse(process.argv[2])
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
    // The runtime probe (runtime-probe.mjs): its own socket, the platform's D1 (the same database id and persisted file).
    }, ...(probePort ? [{
      name: 'bench-runtime-probe',
      modules: [{ type: 'ESModule', path: resolve(script, '..', 'runtime-probe.mjs'), contents: RUNTIME_PROBE_SOURCE }],
      d1Databases: options.d1Databases,
      compatibilityDate: options.compatibilityDate,
      compatibilityFlags: options.compatibilityFlags,
      unsafeDirectSockets: [{ host: '127.0.0.1', port: probePort }],
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
