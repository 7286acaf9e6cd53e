// `npm run scale-model`: what one pull and one push cost from six regions, and how a large CPO's database grows.
// No network, no platform: inputs are bench/request-costs.json (D1 queries and Durable Object calls per request path),
// the Worker CPU per request from bench/results.json when present, Cloudflare's placement rules and an inter-region
// round-trip table (bench/scale/model.mjs), and row sizes measured on the migrations (bench/scale/row-sizes.mjs).
// `--markdown` prints the same tables as Markdown (docs/scale.md quotes them).
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { DEFAULTS, REGIONS, RTT_SOURCE, pushLatency, requestLatency, storageGrowth } from './scale/model.mjs'
import { ROW_ASSUMPTIONS, measureRowSizes } from './scale/row-sizes.mjs'

process.removeAllListeners('warning') // node:sqlite's experimental warning
const { values: flags } = parseArgs({ options: { markdown: { type: 'boolean', default: false } } })

const costs = JSON.parse(await readFile(new URL('./request-costs.json', import.meta.url), 'utf8'))
const cpu = await measuredCpu()

// Storage: a CPO with 300,000 EVSEs and 1,000,000 sessions a month.
const BUSINESS = {
  evses: 300_000,
  sessions_per_month: 1_000_000,
  /** One real-time or cached authorization logged per RFID session; app starts are commands instead. */
  authorizations_per_session: 0.7,
  /** START_SESSION and STOP_SESSION per app-started session (30% of sessions). */
  commands_per_session: 0.6,
  /** Tokens the CPO caches from its eMSPs (token pulls and pushes). */
  cached_tokens: 5_000_000,
}

const pulls = [
  ['versions', 'GET /ocpi/versions'],
  ['locations_page_cache_hit', '50-location page, cache hit'],
  ['locations_page_from_d1', '50-location page, cache miss'],
  ['location_get', 'one location'],
  ['tokens_page', 'tokens page'],
  ['authorize', 'real-time authorize (eMSP side)'],
  ['session_put_received', 'peer PUTs a session (push in)'],
].filter(([path]) => costs[path])
const extraPaths = Object.keys(costs).filter((path) => !pulls.some(([known]) => known === path) && !['location_patch_pushed', 'command_start'].includes(path))

const latency = REGIONS.map((region) => {
  const row = { region: `${region.name} (${region.id})` }
  for (const [path] of [...pulls, ...extraPaths.map((path) => [path])]) {
    const writes = path === 'session_put_received' ? 1 : 0
    row[path] = {
      primary_only: requestLatency({ costs, path, region, replicas: false, writes, cpuMs: cpu[path] }).total_ms,
      read_replicas: requestLatency({ costs, path, region, replicas: true, writes, cpuMs: cpu[path] }).total_ms,
      cold_isolate: requestLatency({ costs, path, region, warm: false, replicas: true, writes, cpuMs: cpu[path] }).total_ms,
    }
  }
  if (costs.location_patch_pushed) {
    row.push_out = { kept_alive: pushLatency({ costs, region }).total_ms, new_connection: pushLatency({ costs, region, warmConnection: false }).total_ms }
  }
  return row
})

const rowSizes = await measureRowSizes(2000)
const months = 12
const locations = BUSINESS.evses / ROW_ASSUMPTIONS.evses_per_location
const sessionsPerYear = BUSINESS.sessions_per_month * months
const growth = storageGrowth({
  tables: [
    { table: 'locations', static_rows: locations, rows_per_year: 0, bytes_per_row: rowSizes.locations.bytes_per_row },
    { table: 'tokens (cache)', static_rows: BUSINESS.cached_tokens, rows_per_year: 0, bytes_per_row: rowSizes.tokens.bytes_per_row },
    { table: 'sessions', static_rows: 0, rows_per_year: sessionsPerYear, bytes_per_row: rowSizes.sessions.bytes_per_row },
    { table: 'cdrs', static_rows: 0, rows_per_year: sessionsPerYear, bytes_per_row: rowSizes.cdrs.bytes_per_row },
    { table: 'authorizations', static_rows: 0, rows_per_year: sessionsPerYear * BUSINESS.authorizations_per_session, bytes_per_row: rowSizes.authorizations.bytes_per_row },
    { table: 'commands', static_rows: 0, rows_per_year: sessionsPerYear * BUSINESS.commands_per_session, bytes_per_row: rowSizes.commands.bytes_per_row },
  ],
})

const RETENTION_DAYS = [7, 30, 90, 365]
/** Steady size when only the last `days` of the growing tables stay in the database (older rows archived elsewhere). */
const retained = (growth, days) => growth.static_bytes + (growth.bytes_per_year * days) / 365
const untilLimit = (growth) => (growth.years_to_limit >= 1 ? `${Math.round(growth.years_to_limit * 100) / 100} years` : `${Math.round(growth.years_to_limit * 365)} days`)

if (flags.markdown) printMarkdown()
else printText()

/** Worker CPU per request path from the last bench run (production-like runtime), where a row measures that path. */
async function measuredCpu() {
  const results = JSON.parse(await readFile(new URL('./results.json', import.meta.url), 'utf8').catch(() => '{}'))
  const rows = Object.values(results.scenarios ?? {}).flatMap((scenario) => scenario.rows ?? [])
  const find = (pattern) => rows.find((row) => pattern.test(row.name) && row.workerd_cpu_ms_per_request !== undefined)?.workerd_cpu_ms_per_request
  return Object.fromEntries(Object.entries({
    versions: find(/^GET \/ocpi\/versions \[workerd\]/),
    locations_page_cache_hit: find(/first \(cache hit\) \[workerd\]/),
    locations_page_from_d1: find(/first \(from D1\) \[workerd\]/),
    authorize: find(/^eMSP OCPI tokens\/\{uid\}\/authorize \[workerd\]/),
  }).filter(([, value]) => value !== undefined))
}

function printText() {
  console.log(`Latency model (ms): client to edge ${DEFAULTS.client_edge_rtt_ms} ms, D1 primary and operator in ${DEFAULTS.primary}; RTTs: ${RTT_SOURCE}`)
  console.log(`Worker CPU per request from bench/results.json: ${JSON.stringify(cpu)} (else ${DEFAULTS.default_cpu_ms} ms)\n`)
  for (const row of latency) {
    console.log(row.region)
    for (const [path, label] of [...pulls, ...extraPaths.map((path) => [path, path])]) {
      const value = row[path]
      console.log(`  ${label.padEnd(40)} primary only ${String(value.primary_only).padStart(6)}   read replicas ${String(value.read_replicas).padStart(6)}   cold isolate ${String(value.cold_isolate).padStart(6)}`)
    }
    if (row.push_out) console.log(`  ${'push out (write in FRA -> peer here)'.padEnd(40)} kept-alive   ${String(row.push_out.kept_alive).padStart(6)}   new connection ${String(row.push_out.new_connection).padStart(5)}`)
  }
  console.log(`\nStorage: ${BUSINESS.evses} EVSEs (${locations} locations), ${BUSINESS.sessions_per_month} sessions a month`)
  for (const table of growth.tables) console.log(`  ${table.table.padEnd(16)} ${String(table.bytes_per_row).padStart(6)} B/row  rows now ${String(table.static_rows).padStart(9)}  rows/year ${String(table.rows_per_year).padStart(9)}  ${(table.bytes_per_year / 1e9).toFixed(2)} GB/year`)
  console.log(`  start ${(growth.static_bytes / 1e9).toFixed(2)} GB, +${(growth.bytes_per_year / 1e9).toFixed(2)} GB/year: the 10 GB D1 limit is reached after ${untilLimit(growth)}`)
  for (const days of RETENTION_DAYS) console.log(`  keeping only the last ${days} days of sessions, CDRs, authorizations and commands: ${(retained(growth, days) / 1e9).toFixed(2)} GB`)
}

function printMarkdown() {
  const pathsShown = [...pulls, ...extraPaths.map((path) => [path, path])]
  console.log('| region | ' + pathsShown.map(([, label]) => label).join(' | ') + ' | push out (kept-alive / new connection) |')
  console.log('|---|' + pathsShown.map(() => '---|').join('') + '---|')
  for (const row of latency) {
    const cells = pathsShown.map(([path]) => `${row[path].primary_only} / ${row[path].read_replicas}`)
    console.log(`| ${row.region} | ${cells.join(' | ')} | ${row.push_out ? `${row.push_out.kept_alive} / ${row.push_out.new_connection}` : ''} |`)
  }
  console.log('\n| table | bytes per row (measured) | rows at start | GB at start | rows per year | GB per year |')
  console.log('|---|---|---|---|---|---|')
  for (const table of growth.tables) console.log(`| ${table.table} | ${table.bytes_per_row} | ${table.static_rows.toLocaleString('en')} | ${((table.static_rows * table.bytes_per_row) / 1e9).toFixed(2)} | ${table.rows_per_year.toLocaleString('en')} | ${(table.bytes_per_year / 1e9).toFixed(2)} |`)
  console.log(`\nStart ${(growth.static_bytes / 1e9).toFixed(2)} GB, then +${(growth.bytes_per_year / 1e9).toFixed(2)} GB a year: 10 GB after ${untilLimit(growth)}.`)
  console.log('\n| sessions, CDRs, authorizations and commands kept | database size (GB) |\n|---|---|')
  for (const days of RETENTION_DAYS) console.log(`| last ${days} days | ${(retained(growth, days) / 1e9).toFixed(2)} |`)
  console.log('\n| year | database size (GB) |\n|---|---|')
  for (const { year, bytes } of growth.by_year.slice(0, 5)) console.log(`| ${year} | ${(bytes / 1e9).toFixed(2)} |`)
}
