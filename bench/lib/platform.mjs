// Bench platforms on the bench's own ports (BENCH_PORT_BASE, default 17600), driven through the management API and
// OCPI like any operator or peer would. Three runtimes serve the same bundle on the same persisted state:
// - `workerd` (production-like, the default): workerd through Miniflare's API (bench/lib/workerd-serve.mjs), the
//   bench port a socket of the Worker itself, with nothing in front of it and no inspector; ports base+20...
// - `miniflare`: the same, behind Miniflare's entry worker and assets router (as `wrangler dev` has them, without its
//   proxy); ports base+40...
// - `wrangler`: `wrangler dev` as developers run it (its local proxy and inspector included); ports base+0...,
//   inspectors base+500...
import { spawn } from 'node:child_process'
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { memoryRoot, workingCopy } from './state.mjs'
import { assertPortsFree, buildWorker, offlineEnv, startPlatform, superviseUntilServing } from '../../scripts/wrangler-process.mjs'

export const BENCH_ADMIN_TOKEN = 'bench-admin-token'

export const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 17600)
const OFFSETS = { locations: 0, push: 1, emsp: 2, cpo: 3, 'charging-cpo': 4, 'charging-emsp': 5 }
const RUNTIME_OFFSET = { wrangler: 0, workerd: 20, miniflare: 40 }
const PORT_HINT = 'or give the bench other ports with BENCH_PORT_BASE'

/** Base URL a platform of this name and runtime listens on (scenarios seed peer URLs before it starts). */
export function platformUrl(name, runtime = 'workerd') {
  return `http://127.0.0.1:${portOf(name, runtime)}`
}

function portOf(name, runtime) {
  if (!(name in OFFSETS)) throw new Error(`unknown bench platform ${name}`)
  if (!(runtime in RUNTIME_OFFSET)) throw new Error(`unknown bench runtime ${runtime}; known: ${Object.keys(RUNTIME_OFFSET).join(', ')}`)
  return PORT_BASE + RUNTIME_OFFSET[runtime] + OFFSETS[name]
}

// The Worker is bundled once per bench run and every platform serves that build: sources edited during a run neither
// reload a platform in the middle of a measurement nor mix two versions of the code in one report.
let worker

/**
 * `probe` (workerd runtime only) serves, beside the platform in the same workerd and on the platform's D1, the runtime
 * probe (runtime-probe.mjs): a bare Worker doing only the unavoidable part of a request shape, what any Worker at
 * best reaches on this runtime. Its URL is `probeUrl`.
 */
export async function launchPlatform(name, state, vars = {}, { runtime = 'workerd', inspectorPort, probe = false } = {}) {
  const port = portOf(name, runtime)
  worker ??= buildWorker('bench/.state/build/worker')
  const script = await worker
  const persistTo = await servedCopy(state, `${name}-${runtime}`)
  // Every platform starts with an empty Cache API: pages cached by an earlier run on the same state must not be served.
  await rm(join(persistTo, 'v3', 'cache'), { recursive: true, force: true })
  const allVars = { PUBLIC_URL: `http://127.0.0.1:${port}`, ADMIN_TOKEN: BENCH_ADMIN_TOKEN, ALLOW_PRIVATE_PEER_URLS: 'true', ...vars }
  const logFile = runtime === 'wrangler' ? undefined : await logFileOf(name, runtime)
  const running = runtime === 'wrangler'
    ? await startPlatform({ port, inspectorPort: port + 500, persistTo, adminToken: BENCH_ADMIN_TOKEN, vars: allVars, timeoutMs: 120_000, script, portHint: PORT_HINT })
    : await startWorkerd({ port, persistTo, vars: allVars, script, inspectorPort, front: runtime === 'workerd' ? 'direct' : 'entry', logFile, probePort: probe && runtime === 'workerd' ? port + PROBE_OFFSET : undefined })
  const stop = async () => {
    await running.stop()
    if (persistTo !== state) await rm(persistTo, { recursive: true, force: true })
    if (logFile) await keepLog(logFile, name, runtime)
  }
  const probeUrl = probe && runtime === 'workerd' ? `http://127.0.0.1:${port + PROBE_OFFSET}` : undefined
  return { ...running, stop, name, runtime, probeUrl, admin: (method, path, body) => adminCall(running.url, method, path, body) }
}

/** The runtime probe's port, from its platform's: past every platform's offset within the runtime's block of ports. */
const PROBE_OFFSET = 10

/**
 * The state a platform serves: a copy in memory (bench/lib/state.mjs, MEMORY_ROOT) unless it is there already. Every
 * platform writes while it serves, even one that is only read (its request counters, the Cache API, an authorization
 * log): on a local disk each D1 or Durable Object commit is an fsync in the runtime's own process, which held requests
 * of other workers for tens of milliseconds and made the open-loop p99; Cloudflare's storage makes a Worker wait for no
 * disk. The cached state stays untouched.
 */
async function servedCopy(state, name) {
  const memory = memoryRoot()
  if (!memory || resolve(state).startsWith(memory)) return state
  return workingCopy(state, name, { inMemory: true })
}

/**
 * Where a workerd platform writes the Worker's log lines, from its last start: `logs/<name>-<runtime>.log` in memory
 * (MEMORY_ROOT, as the served state) when the machine has it, else under bench/.state/. On a disk, a run's hundreds of
 * megabytes of lines were written back while the platform served, on the same two cores.
 */
async function logFileOf(name, runtime) {
  const dir = join(memoryRoot() ?? 'bench/.state', 'logs')
  await mkdir(dir, { recursive: true })
  const path = resolve(join(dir, `${name}-${runtime}.log`))
  await writeFile(path, '')
  return path
}

/** A stopped platform's log, moved out of memory to bench/.state/logs/ (where a disk-only machine wrote it already). */
async function keepLog(path, name, runtime) {
  const kept = resolve(join('bench/.state/logs', `${name}-${runtime}.log`))
  if (kept === path) return
  await mkdir(dirname(kept), { recursive: true })
  await copyFile(path, kept)
  await rm(path, { force: true })
}

/**
 * A workerd platform: a Node process (its own process group, so stop() also ends workerd) that starts
 * workerd through Miniflare and only supervises it; requests go straight to workerd's socket.
 */
async function startWorkerd({ port, persistTo, vars, script, inspectorPort, front, logFile, probePort }) {
  const url = `http://127.0.0.1:${port}`
  await assertPortsFree({ HTTP: port, ...(inspectorPort ? { inspector: inspectorPort } : {}), ...(probePort ? { 'runtime probe': probePort } : {}) }, { label: `workerd platform on port ${port}`, hint: PORT_HINT })
  const child = spawn(process.execPath, ['bench/lib/workerd-serve.mjs', JSON.stringify({ script, port, persistTo, vars, inspectorPort, front, logFile, probePort })], {
    stdio: ['ignore', 'pipe', 'pipe'], env: offlineEnv(), detached: true,
  })
  return superviseUntilServing(child, url, 120_000, `workerd platform on port ${port}`, { forceKill: true })
}

/** Management call that must succeed; returns the JSON body. */
export async function adminCall(baseUrl, method, path, body) {
  const response = await fetch(`${baseUrl}/admin/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  if (response.status >= 300) throw new Error(`${method} ${path} -> ${response.status} ${text.slice(0, 500)}`)
  return text ? JSON.parse(text) : undefined
}

/** Authorization header value for a credentials token, Base64 as OCPI 2.2+ requires. */
export const tokenHeader = (token) => `Token ${Buffer.from(token).toString('base64')}`

/** One OCPI GET with a peer token; returns the envelope, status and headers. */
export async function ocpiGet(url, token) {
  const response = await fetch(url, { headers: { Authorization: tokenHeader(token) } })
  const text = await response.text()
  const body = text ? JSON.parse(text) : undefined
  if (response.status !== 200 || body?.status_code !== 1000) throw new Error(`GET ${url} -> ${response.status} ${text.slice(0, 300)}`)
  return { body, headers: response.headers }
}

/** The URL in a `Link: <url>; rel="next"` header, if any. */
export function nextLink(headers) {
  const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(headers.get('Link') ?? '')
  return match?.[1]
}
