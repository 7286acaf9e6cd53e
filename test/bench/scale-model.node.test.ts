import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { DEFAULTS, LOCAL_RTT_MS, REGIONS, pushLatency, requestLatency, rtt, storageGrowth, type Costs } from '../../bench/scale/model.mjs'

// The scale model (`npm run scale-model`): its arithmetic, and that it can read the request costs the code's own
// query-counting test writes.

const region = (id: string) => REGIONS.find((candidate) => candidate.id === id)!
const costs: Costs = {
  page: { cold: { d1: 4, do: 0 }, warm: { d1: 3, do: 0 } },
  zero: { cold: { d1: 1, do: 0 }, warm: { d1: 0, do: 0 } },
  location_patch_pushed: { cold: { d1: 3, do: 1 }, warm: { d1: 2, do: 1 } },
}

describe('latency model', () => {
  it('round trips are symmetric, and local inside one region', () => {
    expect(rtt('FRA', 'SYD')).toBe(rtt('SYD', 'FRA'))
    expect(rtt('SIN', 'SIN')).toBe(LOCAL_RTT_MS)
    expect(() => rtt('FRA', 'XXX')).toThrow(/no round-trip time/)
  })
  it('without replicas every D1 query of a request is a round trip to the primary', () => {
    const result = requestLatency({ costs, path: 'page', region: region('SYD'), cpuMs: 1 })
    expect(result.d1_ms).toBeCloseTo(3 * rtt('SYD', 'FRA'))
    expect(result.total_ms).toBeCloseTo(DEFAULTS.client_edge_rtt_ms + 3 * rtt('SYD', 'FRA') + 1)
  })
  it('with read replicas reads go to the region\'s replica, writes still to the primary', () => {
    const read = requestLatency({ costs, path: 'page', region: region('SYD'), replicas: true, cpuMs: 1 })
    expect(read.d1_ms).toBeCloseTo(3 * LOCAL_RTT_MS)
    const write = requestLatency({ costs, path: 'page', region: region('SYD'), replicas: true, writes: 1, cpuMs: 1 })
    expect(write.d1_ms).toBeCloseTo(2 * LOCAL_RTT_MS + rtt('SYD', 'FRA'))
    // São Paulo has no D1 region: its replica is Virginia's.
    expect(requestLatency({ costs, path: 'page', region: region('GRU'), replicas: true }).d1_ms).toBeCloseTo(3 * rtt('GRU', 'IAD'))
  })
  it('a zero-D1 hot path costs the client round trip and CPU only, wherever the peer is', () => {
    for (const candidate of REGIONS) expect(requestLatency({ costs, path: 'zero', region: candidate, cpuMs: 0.5 }).total_ms).toBeCloseTo(DEFAULTS.client_edge_rtt_ms + 0.5)
    expect(requestLatency({ costs, path: 'zero', region: region('SYD'), warm: false, cpuMs: 0.5 }).d1_ms).toBeCloseTo(rtt('SYD', 'FRA'))
  })
  it('a push costs the local write plus one round trip to the peer, three on a new connection', () => {
    const kept = pushLatency({ costs, region: region('SIN') })
    const fresh = pushLatency({ costs, region: region('SIN'), warmConnection: false })
    expect(fresh.total_ms - kept.total_ms).toBeCloseTo(2 * rtt('FRA', 'SIN'))
    expect(kept.write_ms).toBeCloseTo(3 * LOCAL_RTT_MS)
  })
  it('reads bench/request-costs.json in the agreed shape, whatever paths it lists', async () => {
    const file = JSON.parse(await readFile('bench/request-costs.json', 'utf8')) as Costs
    for (const [path, cost] of Object.entries(file)) {
      for (const phase of ['cold', 'warm'] as const) expect(cost[phase], `${path}.${phase}`).toEqual({ d1: expect.any(Number), do: expect.any(Number) })
      expect(requestLatency({ costs: file, path, region: region('IAD'), replicas: true }).total_ms).toBeGreaterThan(0)
    }
    expect(Object.keys(file)).toEqual(expect.arrayContaining(['versions', 'locations_page_cache_hit', 'locations_page_from_d1', 'location_get', 'tokens_page', 'authorize', 'session_put_received', 'location_patch_pushed', 'command_start']))
  })
})

describe('storage growth', () => {
  it('adds the yearly rows to the static ones and finds when the limit is reached', () => {
    const growth = storageGrowth({ tables: [
      { table: 'locations', static_rows: 1000, rows_per_year: 0, bytes_per_row: 1000 },
      { table: 'sessions', static_rows: 0, rows_per_year: 1000, bytes_per_row: 2000 },
    ], limitBytes: 11_000_000, years: 3 })
    expect(growth.static_bytes).toBe(1_000_000)
    expect(growth.bytes_per_year).toBe(2_000_000)
    expect(growth.by_year.map((year) => year.bytes)).toEqual([3_000_000, 5_000_000, 7_000_000])
    expect(growth.years_to_limit).toBe(5)
  })
  it('never reaches the limit without growth', () => {
    expect(storageGrowth({ tables: [{ table: 'locations', static_rows: 10, rows_per_year: 0, bytes_per_row: 10 }] }).years_to_limit).toBe(Infinity)
  })
})
