// A bench platform without `wrangler dev`: the bundled Worker served by workerd through Miniflare's API, with no
// local proxy in front and no inspector (unless
// `npm run bench:profile` asks for one). Run as its own process (`node bench/lib/workerd-serve.mjs <json>`) so the
// bench measures its CPU like a `wrangler dev` platform's. The bindings come from wrangler.toml exactly as wrangler
// reads them (`unstable_getMiniflareWorkerOptions`); D1, Durable Objects, R2 and the Cache API persist under
// `<persistTo>/v3`, the layout `wrangler dev --persist-to` uses, so both runtimes serve the same seeded state.
import { Miniflare, convertV4MiniflareOptions } from 'miniflare'
import { join, resolve } from 'node:path'
import { unstable_getMiniflareWorkerOptions } from 'wrangler'

const { script, port, persistTo, vars, inspectorPort } = JSON.parse(process.argv[2])
const { workerOptions } = unstable_getMiniflareWorkerOptions('wrangler.toml')
// Crons are not run by the bench; the bundle is one ES module, so no module rules are needed.
const { cronTriggers, email, modulesRules, rootPath, connectHandlers, ...options } = workerOptions

// Miniflare 5 takes a new option shape; wrangler's worker options are still in the v4 one it converts from.
const miniflare = new Miniflare({
  ...convertV4MiniflareOptions({
  host: '127.0.0.1',
  port,
  resourcePersistencePath: resolve(join(persistTo, 'v3')),
  workers: [{
    ...options,
    name: 'ocpi-edge',
    modules: [{ type: 'ESModule', path: resolve(script) }],
    modulesRoot: resolve(script, '..'),
    bindings: { ...options.bindings, ...vars },
  }],
  }),
  // No line per request on stdout (wrangler dev prints none either), no dev registry.
  logRequests: false,
  enableDevRegistry: false,
  // Only `npm run bench:profile` opens the inspector (DevTools protocol), to record a CPU profile of the Worker.
  ...(inspectorPort ? { inspectorPort } : {}),
})
await miniflare.ready
console.log(`serving on http://127.0.0.1:${port}`)

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    miniflare.dispose().finally(() => process.exit(0))
  })
}
