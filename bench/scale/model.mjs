// The scale model's arithmetic, pure (tested in test/bench/scale-model.node.test.ts): expected latency of a pull and a
// push per region from the D1 queries and Durable Object calls each request path makes, Cloudflare's placement of D1,
// its read replicas, Durable Objects and the Cache API, and an inter-region round-trip table; and storage growth.

/** Where each modelled region's requests meet D1 read replicas: one replica per D1 region (enam, weur, apac, oc...). */
export const REGIONS = [
  { id: 'FRA', name: 'Frankfurt', replica: 'FRA' },
  { id: 'LON', name: 'London', replica: 'FRA' },
  { id: 'IAD', name: 'Virginia', replica: 'IAD' },
  // D1 has no region in South America: São Paulo reads from the nearest replica, Eastern North America.
  { id: 'GRU', name: 'São Paulo', replica: 'IAD' },
  { id: 'SIN', name: 'Singapore', replica: 'SIN' },
  { id: 'SYD', name: 'Sydney', replica: 'SYD' },
]

/**
 * Round-trip times in ms between the regions: the averages of "Latency Between AWS Global Regions" (pings between VMs
 * in AWS regions, 2017) as tabulated at https://acomputerscientistlearnsaws.blogspot.com/2017/04/aws-regions.html;
 * London is not in that table and takes the EU (Ireland) row. Inside one region: LOCAL_RTT_MS.
 */
export const RTT_MS = {
  'FRA-LON': 19.6, 'FRA-IAD': 88.6, 'FRA-GRU': 194.9, 'FRA-SIN': 325.9, 'FRA-SYD': 323.5,
  'LON-IAD': 80.5, 'LON-GRU': 191.3, 'LON-SIN': 238.6, 'LON-SYD': 309.6,
  'IAD-GRU': 119.5, 'IAD-SIN': 216.7, 'IAD-SYD': 229.9,
  'GRU-SIN': 328.1, 'GRU-SYD': 322.5,
  'SIN-SYD': 175.3,
}
export const RTT_SOURCE = '"Latency Between AWS Global Regions" (2017 averages) as tabulated at https://acomputerscientistlearnsaws.blogspot.com/2017/04/aws-regions.html; London = the EU (Ireland) row'
export const LOCAL_RTT_MS = 2

export function rtt(from, to, table = RTT_MS) {
  if (from === to) return LOCAL_RTT_MS
  const value = table[`${from}-${to}`] ?? table[`${to}-${from}`]
  if (value === undefined) throw new Error(`no round-trip time between ${from} and ${to}`)
  return value
}

export const DEFAULTS = {
  /** The deployment: D1 primary, and where the operator writes from (so where its PeerOutbox objects are created). */
  primary: 'FRA',
  /** A peer's server to its nearest Cloudflare data centre, on a kept-alive TLS connection. */
  client_edge_rtt_ms: 10,
  /** Worker CPU per request when the bench measured none for a path. */
  default_cpu_ms: 2,
  /** What the receiving peer takes to answer a push. */
  peer_processing_ms: 5,
}

/**
 * Expected latency of one request on `path` by a peer in `region`. D1 queries run one after another (an upper
 * bound: a few run in parallel); without replicas each goes to the primary, with the Sessions API reads go to the
 * region's replica (writes always to the primary). Durable Object calls go to where the object lives.
 */
export function requestLatency({ costs, path, region, warm = true, replicas = false, writes = 0, doRegion, cpuMs, options = DEFAULTS }) {
  const cost = costs[path]?.[warm ? 'warm' : 'cold']
  if (!cost) throw new Error(`no request cost for ${path}`)
  const edge = region.id
  const readTarget = replicas ? region.replica : options.primary
  const reads = Math.max(0, cost.d1 - writes)
  const d1Ms = reads * rtt(edge, readTarget) + Math.min(writes, cost.d1) * rtt(edge, options.primary)
  const doMs = cost.do * rtt(edge, doRegion ?? options.primary)
  const cpu = cpuMs ?? options.default_cpu_ms
  return { total_ms: round(options.client_edge_rtt_ms + d1Ms + doMs + cpu), d1_ms: round(d1Ms), do_ms: round(doMs), cpu_ms: cpu, d1: cost.d1, do: cost.do }
}

/**
 * A push from the platform to a peer in `region`: the operator's write at the primary's data centre (its D1 writes and
 * the enqueue into the peer's PeerOutbox, created there by the first push), then the outbox's HTTP request to the
 * peer: one round trip on a kept-alive connection, three on a new one (TCP and TLS 1.3 handshakes first).
 */
export function pushLatency({ costs, region, path = 'location_patch_pushed', warmConnection = true, options = DEFAULTS }) {
  const write = requestLatency({ costs, path, region: { id: options.primary, replica: options.primary }, writes: costs[path].warm.d1, doRegion: options.primary, cpuMs: 0, options: { ...options, client_edge_rtt_ms: 0 } })
  const delivery = (warmConnection ? 1 : 3) * rtt(options.primary, region.id) + options.peer_processing_ms
  return { total_ms: round(write.total_ms + delivery), write_ms: write.total_ms, delivery_ms: round(delivery) }
}

/** Bytes per row of each table and how many rows a year adds; returns per-table growth and when `limitBytes` is reached. */
export function storageGrowth({ tables, years = 10, limitBytes = 10e9 }) {
  const rows = tables.map((table) => ({
    ...table,
    bytes_first_year: round(table.static_rows * table.bytes_per_row + table.rows_per_year * table.bytes_per_row, 0),
    bytes_per_year: round(table.rows_per_year * table.bytes_per_row, 0),
  }))
  const staticBytes = rows.reduce((sum, table) => sum + table.static_rows * table.bytes_per_row, 0)
  const yearlyBytes = rows.reduce((sum, table) => sum + table.bytes_per_year, 0)
  const byYear = Array.from({ length: years }, (_, index) => ({ year: index + 1, bytes: round(staticBytes + yearlyBytes * (index + 1), 0) }))
  const yearsToLimit = yearlyBytes > 0 ? Math.max(0, (limitBytes - staticBytes) / yearlyBytes) : Infinity
  return { tables: rows, static_bytes: round(staticBytes, 0), bytes_per_year: round(yearlyBytes, 0), by_year: byYear, years_to_limit: round(yearsToLimit, 4), limit_bytes: limitBytes }
}

const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits
