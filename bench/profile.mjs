// `npm run bench:profile -- [--path=/ocpi/versions] [--locations=2000] [--duration=5] [--connections=8] [--miss] [--gzip]
//   [--runtime=workerd|miniflare] [--targets=core:user:ocpi-edge,d1:db,...]`
// Where the CPU goes on one request shape: a workerd bench platform (bench/lib/platform.mjs) on the seeded locations
// state, with the DevTools inspector open, under autocannon load while the V8 sampling profiler records in each
// target: the Worker (`core:user:ocpi-edge`) and, to see the local runtime's own share, Miniflare's workers (`d1:db`
// runs the local D1's SQL, `cache:cache` the Cache API; on the `miniflare` runtime `core:entry` and `assets:router`
// sit in front of the Worker; none of them exist on Cloudflare). Prints each target's busy time per request and, for the first target, the functions with the
// most self and inclusive time; writes the .cpuprofile files (Chrome DevTools, Performance tab) under
// bench/.state/profiles/.
import autocannon from 'autocannon'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { launchPlatform, PORT_BASE, tokenHeader } from './lib/platform.mjs'
import { locationsState, READER_TOKEN } from './scenarios/locations.mjs'

const { values } = parseArgs({
  options: {
    path: { type: 'string', default: '/ocpi/versions' },
    locations: { type: 'string', default: '2000' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '8' },
    miss: { type: 'boolean', default: false },
    gzip: { type: 'boolean', default: false },
    top: { type: 'string', default: '30' },
    runtime: { type: 'string', default: 'workerd' },
    targets: { type: 'string' },
  },
})

const inspectorPort = PORT_BASE + 540
const state = await locationsState({ count: Number(values.locations), log: console.log })
const platform = await launchPlatform('locations', state, {}, { runtime: values.runtime, inspectorPort })
const FRONT_TARGETS = { workerd: [], miniflare: ['core:entry', 'assets:router:ocpi-edge'] }
try {
  const url = `${platform.url}${values.path}`
  const headers = { Authorization: tokenHeader(READER_TOKEN), ...(values.gzip ? { 'Accept-Encoding': 'gzip, deflate, br' } : {}) }
  const warm = await fetch(url, { headers })
  console.log(`GET ${values.path} -> ${warm.status}, ${(await warm.arrayBuffer()).byteLength} bytes, X-Cache ${warm.headers.get('X-Cache')}`)
  await load(url, headers, 2) // JIT warm-up, outside the profile
  const titles = values.targets?.split(',') ?? ['core:user:ocpi-edge', 'd1:db', 'cache:cache', ...(FRONT_TARGETS[values.runtime] ?? [])]
  const inspectors = await Promise.all(titles.map((title) => connect(inspectorPort, title)))
  for (const inspector of inspectors) {
    await inspector.call('Profiler.enable')
    await inspector.call('Profiler.setSamplingInterval', { interval: 100 })
    await inspector.call('Profiler.start')
  }
  const result = await load(url, headers, Number(values.duration))
  const profiles = await Promise.all(inspectors.map(async (inspector) => (await inspector.call('Profiler.stop')).profile))
  for (const inspector of inspectors) inspector.close()
  const requests = result.requests.total
  console.log(`${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${requests} requests`)
  await mkdir('bench/.state/profiles', { recursive: true })
  const stamp = Date.now()
  for (const [index, profile] of profiles.entries()) {
    const file = join('bench/.state/profiles', `${values.path.replace(/[^a-z0-9]+/gi, '_')}-${titles[index].replace(/[^a-z0-9]+/gi, '_')}-${stamp}.cpuprofile`)
    await writeFile(file, JSON.stringify(profile))
    console.log(`${titles[index].padEnd(28)} busy ${(summarize(profile).busy / requests).toFixed(1).padStart(8)} µs per request  ${file}`)
  }
  report(profiles[0], requests, Number(values.top))
} finally {
  await platform.stop()
}

function load(url, headers, duration) {
  let nonce = 0
  const setupRequest = values.miss ? (request) => ({ ...request, path: `${values.path}${values.path.includes('?') ? '&' : '?'}x_bench_nonce=${++nonce}` }) : undefined
  return autocannon({ url, connections: Number(values.connections), duration, requests: [{ method: 'GET', headers, ...(setupRequest ? { setupRequest } : {}) }] })
}

/** One worker's DevTools target (workerd lists one per worker at /json/list, titled `workerd: worker <name>`). */
async function connect(port, title) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()
  const target = targets.find((candidate) => candidate.title === `workerd: worker ${title}`)
  if (!target) throw new Error(`no inspector target ${title}; there are: ${targets.map((candidate) => candidate.title).join(', ')}`)
  const socket = new WebSocket(target.webSocketDebuggerUrl)
  await new Promise((resolve, reject) => {
    socket.onopen = resolve
    socket.onerror = reject
  })
  let id = 0
  const pending = new Map()
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data)
    const waiting = pending.get(message.id)
    if (!waiting) return
    pending.delete(message.id)
    if (message.error) waiting.reject(new Error(message.error.message))
    else waiting.resolve(message.result)
  }
  return {
    call: (method, params = {}) => new Promise((resolve, reject) => {
      pending.set(++id, { resolve, reject })
      socket.send(JSON.stringify({ id, method, params }))
    }),
    close: () => socket.close(),
  }
}

function frameName(node) {
  const { functionName, url, lineNumber } = node.callFrame
  return `${functionName || '(anonymous)'} ${url ? `${url.split('/').pop()}:${lineNumber + 1}` : ''}`.trim()
}

/** Self and inclusive µs per function name, and the busy (not idle) total. */
function summarize(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const sampleUs = new Map()
  // From 1: the first delta runs from Profiler.start to the first sample, which for a worker that was idle until then
  // is the whole wait, charged to whatever that sample caught.
  for (let i = 1; i < profile.samples.length; i++) {
    sampleUs.set(profile.samples[i], (sampleUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0))
  }
  const parent = new Map()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const self = new Map()
  const inclusive = new Map()
  let busy = 0
  for (const [id, us] of sampleUs) {
    const key = frameName(byId.get(id))
    if (key === '(idle)') continue
    busy += us
    self.set(key, (self.get(key) ?? 0) + us)
    const seen = new Set()
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const ancestor = frameName(byId.get(at))
      if (seen.has(ancestor)) continue
      seen.add(ancestor)
      inclusive.set(ancestor, (inclusive.get(ancestor) ?? 0) + us)
    }
  }
  return { busy, self, inclusive }
}

/** The functions with the most self and inclusive time, in µs per request. */
function report(profile, requests, top) {
  const { self, inclusive } = summarize(profile)
  const print = (title, map) => {
    console.log(`\n${title} (µs per request)`)
    for (const [key, us] of [...map].filter(([key]) => key !== '(root)').sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${(us / requests).toFixed(1).padStart(8)}  ${key}`)
    }
  }
  print('self', self)
  print('inclusive', inclusive)
}
