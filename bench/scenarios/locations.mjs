// Issue 4, pull side: the no-storage ceiling (GET /ocpi/versions), 50-location pages (first, deep by cursor, deep by
// offset, date_from delta) over 100,000 seeded locations, and a full sync at the maximum page size.
import { performance } from 'node:perf_hooks'
import { measure, measureOpenLoop, round } from '../lib/load.mjs'
import { latencyTarget, ratioTarget, withRuntimeBest } from '../lib/stats.mjs'
import { openLocalD1 } from '../lib/d1-file.mjs'
import { launchPlatform, nextLink, ocpiGet, tokenHeader } from '../lib/platform.mjs'
import { cachedState } from '../lib/state.mjs'
import { credentialsRole, insertConnectedPeer, insertHostedParty } from '../seed/peers.mjs'
import { LOCATION_SEED_FILES, seedLocations } from '../seed/locations.mjs'
import { moduleMissing } from './modules.mjs'

const CPO = { countryCode: 'NL', partyId: 'BEN' }
const READER = { id: 'bench-reader', token: 'bench-reader-token-0001', role: credentialsRole('NL', 'BRD', 'EMSP', 'Bench Reader eMSP') }
const BASE_TIME = Date.UTC(2026, 0, 1)
/** Share of the newest locations a delta pull (date_from) selects. */
const DELTA_SHARE = 0.01

export async function locationsScenario(context) {
  return measureRuntimes(context, context.parameters.runtimes.slice(0, 1))
}

/**
 * The floor, the ceiling and the first page on the other runtimes, for the comparison: the bench's last scenario, so
 * what `wrangler dev` leaves running or loaded on the machine (its proxy, its workerd) cannot slow the targets of the
 * scenarios after it (a push run straight after it measured a p99 of 109 ms, 48 ms without it).
 */
export async function runtimeComparisonScenario(context) {
  const others = context.parameters.runtimes.slice(1)
  if (others.length === 0) return { skipped: 'no other runtime asked for (--runtimes)' }
  return measureRuntimes(context, others)
}

async function measureRuntimes({ parameters, log, track, stop }, runtimes) {
  // The ceiling needs no module: without the locations module it is measured alone and the pages are skipped.
  const missing = await moduleMissing('locations')
  const count = missing ? 0 : parameters.locations
  const state = await locationsState({ count, missing, log })
  // The platform serves a copy of the cached state in memory (bench/lib/platform.mjs, servedCopy). The
  // production-like runtime (workerd without wrangler's proxy) gets every row and the targets; `wrangler dev` the
  // floor, the ceiling and the first page, for the comparison. Each runtime's ratios use its own floor.
  const measured = {}
  for (const runtime of runtimes) {
    const full = runtime === parameters.runtimes[0]
    const platform = track(await launchPlatform('locations', state, {}, { runtime, probe: full }))
    try {
      measured[runtime] = await measureRuntime(platform, { parameters, log, count, missing, full })
    } finally {
      await stop(platform)
    }
  }
  const main = measured[parameters.runtimes[0]]
  return {
    rows: Object.values(measured).flatMap((runtime) => runtime.rows),
    ratios: Object.fromEntries(Object.entries(measured).map(([runtime, values]) => [runtime, values.ratios])),
    ...(main ? { targets: main.targets, full_sync: main.full_sync, figures: main.figures ?? [] } : {}),
    ...(missing ? { skipped: `locations pages and full sync: ${missing}` } : {}),
    parameters: { count, page_size: parameters.page_size, evses_per_location: 3, connectors_per_evse: 2, delta_share: DELTA_SHARE, runtimes, seeded_by: 'SQL rows built with src/modules/locations/store.ts code, written to the local D1 file', peer_auth: 'peer row + SHA-256 token hash inserted with SQL' },
  }
}

/** The seeded state of `count` locations of one hosted CPO and one connected reader eMSP (cached, bench/lib/state.mjs). */
export async function locationsState({ count, missing = false, log = () => {} }) {
  return cachedState(missing ? 'ceiling' : `locations-${count}`, {
    files: [...LOCATION_SEED_FILES, 'bench/seed/peers.mjs', 'bench/scenarios/locations.mjs'],
    parameters: { count },
    log,
    seed: async (dir) => {
      const db = await openLocalD1(dir)
      try {
        insertHostedParty(db, { country_code: CPO.countryCode, party_id: CPO.partyId, role: 'CPO', name: 'Bench Charging B.V.' })
        insertConnectedPeer(db, { id: READER.id, name: 'bench reader', token: READER.token, roles: [READER.role] })
        if (count > 0) {
          log(`locations: seeding ${count} locations`)
          await seedLocations(db, { count, ...CPO, baseTime: BASE_TIME })
        }
      } finally {
        db.close()
      }
    },
  })
}

/** The token of the reader eMSP the locations state holds. */
export const READER_TOKEN = READER.token

/** The rows of one runtime; `full` adds the deep pages, the full sync, the open-loop latency and the targets. */
async function measureRuntime(platform, { parameters, log, count, missing, full }) {
  const { duration_s: duration, page_connections: connections, page_size: pageSize } = parameters
  const tag = (name) => `${name} [${platform.runtime}]`
  const headers = { Authorization: tokenHeader(READER.token) }
  const rows = []
  const run = async (name, url, note, { miss = false, auth = true, check = true, extraHeaders = {} } = {}) => {
    log(`locations: ${tag(name)}`)
    const path = `${new URL(url).pathname}${new URL(url).search}`
    let nonce = 0
    const setupRequest = miss ? (request) => ({ ...request, path: `${path}${path.includes('?') ? '&' : '?'}x_bench_nonce=${++nonce}` }) : undefined
    const result = await measure({ url, headers: { ...(auth ? headers : {}), ...extraHeaders }, setupRequest, connections, duration, platforms: [platform] })
    const cache = !check ? undefined : miss ? 'miss' : ((await ocpiGet(url, READER.token)).headers.get('X-Cache') === 'HIT' ? 'hit' : 'not cached')
    const row = { name: tag(name), runtime: platform.runtime, note: cache === 'not cached' ? `${note} (the platform did not cache it)` : note, url, ...(cache ? { cache } : {}), ...result }
    rows.push(row)
    return row
  }
  // Unmeasured load first: the first run on a fresh platform also paid for compiling its code paths (the floor of a
  // quick run came out slower than /ocpi/versions after it).
  for (const path of ['/', '/ocpi/versions']) await measure({ url: `${platform.url}${path}`, headers, connections, duration: Math.min(2, duration) })
  // `GET /`: no authentication, no D1: what the runtime costs per request before any OCPI work.
  const floor = await run('GET / (runtime floor)', `${platform.url}/`, 'no auth, no D1', { auth: false, check: false })
  await ocpiGet(`${platform.url}/ocpi/versions`, READER.token)
  const versions = await run('GET /ocpi/versions', `${platform.url}/ocpi/versions`, 'authenticated, tiny body', { check: false })
  const ratios = { floor_requests_per_second: floor.requests_per_second, floor_workerd_cpu_ms_per_request: floor.workerd_cpu_ms_per_request }
  const ratioOf = (key, row) => {
    ratios[key] = ratioTarget({ name: key, row, floor, min: 0 }).value
    ratios[`${key}_cpu`] = ratioTarget({ name: key, row, floor, min: 0 }).cpu_ratio
  }
  ratioOf('versions', versions)
  if (missing) return { rows, ratios, targets: [ratioTarget({ name: '/ocpi/versions', row: versions, floor, min: 0.7 })] }

  const details = await ocpiGet(`${platform.url}/ocpi/2.3.0/details`, READER.token)
  const sender = details.body.data.endpoints.find((endpoint) => endpoint.identifier === 'locations' && endpoint.role === 'SENDER')?.url
  if (!sender) throw new Error('version details list no locations SENDER endpoint')
  const first = `${sender}?limit=${pageSize}`
  await checkPage(first, pageSize, count)

  // The platform caches list pages (Cache API, keyed by the full URL and what the peer may see). Many peers asking for
  // the same first page hit it; a peer's deep pages, cursors and date_from are its own and miss. "miss" runs add a
  // unique, ignored query parameter per request, so every request builds its page from D1.
  const hit = await run(`locations page ${pageSize}, first (cache hit)`, first, 'same URL every request, no Accept-Encoding')
  // What peers' HTTP clients send by default (Go's net/http, OkHttp, Node's fetch): the remembered page goes out gzip.
  const hitGzip = await run(`locations page ${pageSize}, first (cache hit, gzip)`, first, `same URL, Accept-Encoding: ${ACCEPT_GZIP}`, { extraHeaders: { 'Accept-Encoding': ACCEPT_GZIP } })
  const miss = await run(`locations page ${pageSize}, first (from D1)`, first, `of ${count}, cache miss`, { miss: true })
  ratioOf('page_cache_hit', hit)
  ratioOf('page_cache_hit_gzip', hitGzip)
  ratioOf('page_from_d1', miss)
  if (!full) return { rows, ratios }

  // Deep pages, each checked first: the deep cursor is the Link a peer paging by 50 would follow at that depth (the next
  // link of the page before it) and must lead to the same locations as offset does.
  const deepOffset = Math.max(0, count - 1000)
  const deltaStart = Math.floor(count * (1 - DELTA_SHARE))
  const dateFrom = new Date(BASE_TIME + deltaStart * 1000).toISOString()
  const urls = {
    offset: `${sender}?offset=${deepOffset}&limit=${pageSize}`,
    delta: `${sender}?date_from=${encodeURIComponent(dateFrom)}&limit=${pageSize}`,
  }
  const byOffset = await checkPage(urls.offset, pageSize, count)
  await checkPage(urls.delta, Math.min(pageSize, count - deltaStart), count - deltaStart)
  const before = await ocpiGet(`${sender}?offset=${deepOffset - pageSize}&limit=${pageSize}`, READER.token)
  urls.cursor = nextLink(before.headers)
  if (!urls.cursor || !new URL(urls.cursor).searchParams.get('cursor')) throw new Error(`no keyset cursor in the Link header: ${before.headers.get('Link')}`)
  const byCursor = await checkPage(urls.cursor, pageSize, count)
  if (byCursor.map((location) => location.id).join() !== byOffset.map((location) => location.id).join()) {
    throw new Error(`the cursor page and offset=${deepOffset} differ: ${byCursor[0]?.id} vs ${byOffset[0]?.id}`)
  }
  await run(`locations page ${pageSize}, deep cursor`, urls.cursor, `Link cursor at ${deepOffset}`, { miss: true })
  await run(`locations page ${pageSize}, deep offset`, urls.offset, `offset=${deepOffset}`, { miss: true })
  await run(`locations page ${pageSize}, date_from delta`, urls.delta, `newest ${count - deltaStart}`, { miss: true })
  // One object: the fixed cost of building a page (authentication, policy, X-Total-Count over every matching row).
  await run('locations page 1, first', `${sender}?limit=1`, 'fixed cost of a page', { miss: true })

  log('locations: full sync at the maximum page size')
  const sync = await fullSync(`${sender}?limit=100000`, count)

  // Open loop: the cache-hit page at half the rate the closed loop above reached, latency from the scheduled time.
  const rate = Math.max(1, hit.requests_per_second / 2)
  log(`locations: cache-hit page open loop at ${round(rate, 1)} req/s`)
  const firstPath = new URL(first).pathname + new URL(first).search
  const openLoop = await measureOpenLoop({ baseUrl: platform.url, requestOf: () => ({ path: firstPath, headers }), rate, durationS: duration })
  rows.push({ name: tag(`locations page ${pageSize}, first (cache hit), open loop`), runtime: platform.runtime, note: `${openLoop.open_loop_rate} req/s = half the closed-loop max`, ...openLoop })
  // The runtime's own tail at that rate: the floor request, open loop at the same arrival rate. The runtime's major
  // garbage collections (tens of milliseconds on this kind of machine, bench/README.md) stall it too.
  const floorLoop = await measureOpenLoop({ baseUrl: platform.url, requestOf: () => ({ path: '/', headers: {} }), rate, durationS: duration })
  rows.push({ name: tag('GET / (runtime floor), open loop at the cache-hit rate'), runtime: platform.runtime, note: 'the same runtime\'s own tail at that rate', ...floorLoop })

  // The open loop again for a peer that asks for gzip, at half its own closed-loop rate.
  const gzipRate = Math.max(1, hitGzip.requests_per_second / 2)
  log(`locations: cache-hit page, gzip, open loop at ${round(gzipRate, 1)} req/s`)
  const gzipLoop = await measureOpenLoop({ baseUrl: platform.url, requestOf: () => ({ path: firstPath, headers: { ...headers, 'Accept-Encoding': ACCEPT_GZIP } }), rate: gzipRate, durationS: duration })
  rows.push({ name: tag(`locations page ${pageSize}, first (cache hit, gzip), open loop`), runtime: platform.runtime, note: `${gzipLoop.open_loop_rate} req/s = half the closed-loop max`, ...gzipLoop })

  const best = platform.probeUrl
    ? await measureRuntimeBest(platform, { log, connections, duration, pageSize, bodies: await bodySizes(first, headers), rates: { identity: rate, gzip: gzipRate } })
    : undefined
  if (best) rows.push(...best.rows)
  // What a bare Worker doing only the unavoidable part of each request reached in this run (runtime-probe.mjs).
  const bestRatio = (row) => ({ value: row && ratioTarget({ name: row.name, row, floor, min: 0 }).value, by: row?.name })
  const bestP99 = (row) => ({ value: row?.p99_ms, by: row?.name })

  const targets = [
    withRuntimeBest(ratioTarget({ name: `cache-hit ${pageSize}-location page`, row: hit, floor, min: 0.5 }), bestRatio(best?.identity)),
    withRuntimeBest(ratioTarget({ name: `cache-hit ${pageSize}-location page, gzip (as peers' clients ask)`, row: hitGzip, floor, min: 0.5 }), bestRatio(best?.gzip)),
    withRuntimeBest(ratioTarget({ name: `${pageSize}-location page built from D1`, row: miss, floor, min: 0.25 }), bestRatio(best?.d1Page)),
    withRuntimeBest(ratioTarget({ name: '/ocpi/versions', row: versions, floor, min: 0.7 }), bestRatio(best?.logged)),
    withRuntimeBest(latencyTarget({ name: `cache-hit ${pageSize}-location page, open loop at half max`, value_ms: openLoop.p99_ms, max_ms: 10, rate: openLoop.open_loop_rate, floor_p99_ms: floorLoop.p99_ms }), bestP99(best?.identityLoop)),
    withRuntimeBest(latencyTarget({ name: `cache-hit ${pageSize}-location page, gzip, open loop at half max`, value_ms: gzipLoop.p99_ms, max_ms: 10, rate: gzipLoop.open_loop_rate }), bestP99(best?.gzipLoop)),
  ]
  return {
    rows,
    ratios,
    targets,
    full_sync: sync.summary,
    figures: [
      ...(best ? [best.figure] : []),
      `full sync of ${sync.summary.objects} locations (${sync.summary.distinct_ids} distinct ids) in ${sync.summary.seconds} s, ` +
        `${sync.summary.pages} pages of up to ${sync.summary.page_limit}, ${sync.summary.megabytes} MB, ${sync.summary.locations_per_second} locations/s`,
    ],
  }
}

/** Accept-Encoding as Node's fetch sends it. */
const ACCEPT_GZIP = 'gzip, deflate, br'

/** The bytes a cache-hit page sends, identity and gzip (its Content-Length: the hit sets it). */
async function bodySizes(url, headers) {
  const identity = (await (await fetch(url, { headers })).arrayBuffer()).byteLength
  const gzipped = await fetch(url, { headers: { ...headers, 'Accept-Encoding': ACCEPT_GZIP } })
  await gzipped.arrayBuffer()
  return { identity, gzip: Number(gzipped.headers.get('Content-Length')) || identity }
}

/**
 * The best this runtime allows each target, in the same run: the runtime probe (bench/lib/runtime-probe.mjs, a bare
 * Worker beside the platform in the same workerd) doing only what the request cannot avoid, with the one log line the
 * platform writes per OCPI request. Closed loop like the platform's rows (ratios to the platform's floor), and open
 * loop at the cache-hit rates. A target the probe misses cannot be reached by any Worker on this runtime and machine.
 */
async function measureRuntimeBest(platform, { log, connections, duration, pageSize, bodies, rates }) {
  const rows = []
  const closed = async (name, path) => {
    log(`locations: ${name} [${platform.runtime}]`)
    const url = `${platform.probeUrl}${path}`
    await measure({ url, connections, duration: Math.min(2, duration) })
    const row = { name: `${name} [${platform.runtime}]`, runtime: platform.runtime, note: 'runtime probe: a bare Worker in the same workerd', url, ...(await measure({ url, connections, duration, platforms: [platform] })) }
    rows.push(row)
    return row
  }
  const open = async (name, path, rate) => {
    log(`locations: ${name} [${platform.runtime}] at ${round(rate, 1)} req/s`)
    const loop = await measureOpenLoop({ baseUrl: platform.probeUrl, requestOf: () => ({ path, headers: {} }), rate, durationS: duration })
    const row = { name: `${name} [${platform.runtime}]`, runtime: platform.runtime, note: `runtime probe, ${loop.open_loop_rate} req/s`, ...loop }
    rows.push(row)
    return row
  }
  const bare = await closed('bare Worker (runtime probe)', '/')
  const logged = await closed('bare Worker writing one log line (runtime probe)', '/?log')
  const identityPath = `/body?bytes=${bodies.identity}&log`
  const gzipPath = `/body?bytes=${bodies.gzip}&log`
  const identity = await closed(`bare Worker sending ${bodies.identity} bytes + log line (runtime probe)`, identityPath)
  const gzip = await closed(`bare Worker sending ${bodies.gzip} bytes + log line (runtime probe)`, gzipPath)
  const probed = await (await fetch(`${platform.probeUrl}/d1-page?limit=${pageSize}`)).json()
  if (probed.data?.length !== pageSize) throw new Error(`the runtime probe read ${probed.data?.length} locations from the platform's D1, not ${pageSize}`)
  const d1Page = await closed(`bare Worker, ${pageSize} locations from D1 in one query + log line (runtime probe)`, `/d1-page?limit=${pageSize}&log`)
  const identityLoop = await open(`bare Worker sending ${bodies.identity} bytes + log line, open loop at the cache-hit rate`, identityPath, rates.identity)
  const gzipLoop = await open(`bare Worker sending ${bodies.gzip} bytes + log line, open loop at the gzip cache-hit rate`, gzipPath, rates.gzip)
  const extraUs = round((logged.workerd_cpu_ms_per_request - bare.workerd_cpu_ms_per_request) * 1000, 0)
  const figure = `one log line costs this runtime ${extraUs} µs of workerd CPU per request (bare Worker: ${bare.workerd_cpu_ms_per_request} -> ${logged.workerd_cpu_ms_per_request} ms, ` +
    `${bare.requests_per_second} -> ${logged.requests_per_second} req/s); the platform writes one per OCPI request, the floor (GET /) none`
  return { rows, figure, extra_us: extraUs, logged, identity, gzip, d1Page, identityLoop, gzipLoop }
}

async function checkPage(url, expected, total) {
  const { body, headers } = await ocpiGet(url, READER.token)
  if (!Array.isArray(body.data) || body.data.length !== expected) throw new Error(`GET ${url}: expected ${expected} locations, got ${body.data?.length}`)
  if (headers.get('X-Total-Count') !== String(total)) throw new Error(`GET ${url}: X-Total-Count ${headers.get('X-Total-Count')}, expected ${total}`)
  return body.data
}

/** Follows Link until the end like a pull-only peer, counting objects and distinct ids. */
async function fullSync(url, count) {
  const ids = new Set()
  let objects = 0
  let pages = 0
  let bytes = 0
  let pageLimit
  const started = performance.now()
  for (let next = url; next; ) {
    const response = await fetch(next, { headers: { Authorization: tokenHeader(READER.token) } })
    const text = await response.text()
    if (response.status !== 200) throw new Error(`full sync: GET ${next} -> ${response.status} ${text.slice(0, 300)}`)
    const body = JSON.parse(text)
    bytes += text.length
    pages++
    pageLimit ??= Number(response.headers.get('X-Limit'))
    for (const location of body.data) ids.add(`${location.country_code}*${location.party_id}*${location.id}`)
    objects += body.data.length
    next = nextLink(response.headers)
  }
  const seconds = (performance.now() - started) / 1000
  if (objects !== count || ids.size !== count) throw new Error(`full sync returned ${objects} objects, ${ids.size} distinct, expected exactly ${count}`)
  return {
    summary: { objects, distinct_ids: ids.size, pages, page_limit: pageLimit, seconds: round(seconds, 2), megabytes: round(bytes / 1e6, 1), locations_per_second: Math.round(objects / seconds) },
  }
}

