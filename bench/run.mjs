// `npm run bench`: the ocpi-edge benchmark. Starts real local platforms on ports 17600-17699 (BENCH_PORT_BASE): workerd
// with the Worker on its own socket (production-like), and for comparison the same behind Miniflare's entry worker and
// `wrangler dev` (bench/lib/platform.mjs); seeds them, measures, prints a table
// and the targets (pass/miss, never a failed exit for a miss) and writes bench/results.json. `--quick` is a smoke run.
// See bench/README.md for what each number means.
import { execFileSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { authorizeScenario } from './scenarios/authorize.mjs'
import { chargingScenario } from './scenarios/charging.mjs'
import { formatTarget } from './lib/stats.mjs'
import { locationsScenario, runtimeComparisonScenario } from './scenarios/locations.mjs'
import { pushScenario } from './scenarios/push.mjs'
import { tariffScenario } from './scenarios/tariff.mjs'

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`The benchmark needs Node >= 22.12 (node:sqlite); this is ${process.version}. Run it with \`npm run bench\`, which uses the project's Node.`)
  process.exit(1)
}

// node:sqlite (bulk seeding) is still flagged experimental in Node 22: keep every other warning, drop that one.
const printWarnings = process.listeners('warning')
process.removeAllListeners('warning')
process.on('warning', (warning) => {
  if (!(warning.name === 'ExperimentalWarning' && /SQLite/.test(warning.message))) for (const print of printWarnings) print(warning)
})

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    runtimes: { type: 'string' },
  },
})

const parameters = flags.quick
  ? { quick: true, duration_s: 3, connections: 32, page_connections: 8, locations: 2_000, page_size: 50, push_peers: 10, push_updates: 5, tokens: 20_000, always_every: 10, sessions: 50, session_update_s: 2, session_rounds: 3, commands: 10, session_start_budget_s: 30 }
  : { quick: false, duration_s: 10, connections: 32, page_connections: 8, locations: 100_000, page_size: 50, push_peers: 10, push_updates: 30, tokens: 1_000_000, always_every: 10, sessions: 1_000, session_update_s: 10, session_rounds: 3, commands: 30, session_start_budget_s: 180 }
// The first runtime is the production-like one: it gets every row and the targets.
parameters.runtimes = (flags.runtimes ?? 'workerd,miniflare,wrangler').split(',').map((runtime) => runtime.trim())
if (flags.duration) parameters.duration_s = Number(flags.duration)
if (flags.connections) parameters.connections = parameters.page_connections = Number(flags.connections)

// The comparison runtimes last: nothing they leave behind may slow a target's measurement.
const SCENARIOS = { locations: locationsScenario, push: pushScenario, authorize: authorizeScenario, charging: chargingScenario, tariff: tariffScenario, runtimes: runtimeComparisonScenario }
const selected = flags.only ? flags.only.split(',').map((name) => name.trim()) : Object.keys(SCENARIOS)
for (const name of selected) if (!SCENARIOS[name]) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`)

const running = new Set()
const context = {
  parameters,
  log: (message) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`),
  /** Registers a started platform so it is stopped even when a scenario fails or the run is interrupted. */
  track(platform) {
    running.add(platform)
    return platform
  },
  async stop(platform) {
    running.delete(platform)
    await platform.stop()
  },
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await Promise.all([...running].map((platform) => platform.stop()))
    process.exit(130)
  })
}

const startedAt = Date.now()
let results = { environment: environment(), parameters, scenarios: {} }
for (const name of selected) {
  context.log(`scenario ${name}`)
  try {
    results.scenarios[name] = await SCENARIOS[name](context)
  } catch (error) {
    context.log(`scenario ${name} failed: ${error.stack ?? error}`)
    results.scenarios[name] = { failed: String(error.message ?? error).slice(0, 2000) }
  } finally {
    await Promise.all([...running].map((platform) => context.stop(platform)))
  }
}
results.total_s = Math.round((Date.now() - startedAt) / 1000)
results.environment.load_average_at_end = os.loadavg().map((load) => Math.round(load * 100) / 100)
// Every target of every scenario, up front: what the issue asks, what was measured, pass or miss.
const targets = Object.values(results.scenarios).flatMap((scenario) => scenario.targets ?? [])
const ratios = results.scenarios.locations?.ratios && { ...results.scenarios.locations.ratios, ...results.scenarios.runtimes?.ratios }
results = { targets, ...(ratios ? { ratios } : {}), ...results }

printTable(results)
await writeFile(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`)
console.log(`\nwrote bench/results.json (${results.total_s} s)`)

function printTable({ scenarios, targets, ratios }) {
  const rows = Object.values(scenarios).flatMap((scenario) => scenario.rows ?? [])
  const header = ['measurement', 'req/s', 'p50 ms', 'p99 ms', 'samples', 'cpu ms/req', 'workerd', 'notes']
  const lines = rows.map((row) => [
    row.name, row.requests_per_second ?? (row.open_loop_rate ? `(${row.open_loop_rate})` : ''), row.p50_ms ?? '', row.p99_ms ?? '', row.requests ?? row.samples ?? '',
    row.platform_cpu_ms_per_request ?? '', row.workerd_cpu_ms_per_request ?? '', row.note ?? '',
  ].map(String))
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)))
  const format = (cells) => cells.map((cell, column) => (column === 0 || column === header.length - 1 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')
  console.log(`\n${format(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`)
  for (const line of lines) console.log(format(line))
  for (const [name, scenario] of Object.entries(scenarios)) {
    if (scenario.skipped) console.log(`${name}: skipped: ${scenario.skipped}`)
    if (scenario.failed) console.log(`${name}: FAILED: ${scenario.failed.split('\n')[0]}`)
    for (const figure of scenario.figures ?? []) console.log(`${name}: ${figure}`)
  }
  if (ratios) {
    console.log('\nratios to the floor (GET /) of the same runtime, by req/s (by workerd CPU per request):')
    for (const [runtime, values] of Object.entries(ratios)) {
      const pairs = ['versions', 'page_cache_hit', 'page_cache_hit_gzip', 'page_from_d1'].filter((key) => values[key] !== undefined).map((key) => `${key} ${values[key]} (${values[`${key}_cpu`]})`)
      console.log(`  ${runtime}: floor ${values.floor_requests_per_second} req/s, ${values.floor_workerd_cpu_ms_per_request} ms CPU; ${pairs.join(', ')}`)
    }
  }
  if (targets.length > 0) {
    console.log('\ntargets (production-like runtime):')
    for (const target of targets) console.log(`  ${formatTarget(target)}`)
  }
}

function environment() {
  const git = (...args) => {
    try {
      return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    } catch {
      return undefined
    }
  }
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu_count: os.availableParallelism?.() ?? os.cpus().length,
    cpu_model: os.cpus()[0]?.model,
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    load_average_at_start: os.loadavg().map((load) => Math.round(load * 100) / 100),
    git_commit: git('rev-parse', 'HEAD'),
    git_dirty: (git('status', '--porcelain') ?? '').length > 0,
    wrangler: JSON.parse(execFileSync(process.execPath, ['-p', 'JSON.stringify(require("wrangler/package.json").version)'], { encoding: 'utf8' })),
  }
}
