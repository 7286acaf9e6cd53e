import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { expect, it } from 'vitest'
import { databaseFor } from '../../src/db/shards'
import { locations } from '../../src/db/schema'
import { locationRow, OWN_SOURCE } from '../../src/modules/locations/store'
import { feedBuildJob, newFeedBuild, type FeedBuildState } from '../../src/modules/x-feeds/build-job'
import { latestSnapshot } from '../../src/modules/x-feeds/store'
import type { Location } from '../../src/ocpi/objects/location'

const COUNT = Number((env as unknown as { FEED_BUILD_LOCATIONS: string }).FEED_BUILD_LOCATIONS)
const party = { country_code: 'NL', party_id: 'BIG' }

/** A location like a real one: two EVSEs with two connectors each, about 1.5 KB of JSON. */
function location(index: number): Location {
  const id = `LOC${String(index).padStart(7, '0')}`
  const last_updated = new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString()
  const connector = (connectorId: string) => ({ id: connectorId, standard: 'IEC_62196_T2' as const, format: 'SOCKET' as const, power_type: 'AC_3_PHASE' as const, max_voltage: 230, max_amperage: 32, max_electric_power: 22000, tariff_ids: ['AC-STANDARD'], last_updated })
  const evse = (n: number) => ({ uid: `${id}-E${n}`, evse_id: `NL*BIG*E${index}*${n}`, status: 'AVAILABLE' as const, capabilities: ['RFID_READER' as const, 'REMOTE_START_STOP_CAPABLE' as const], connectors: [connector('1'), connector('2')], physical_reference: `${n}`, last_updated })
  return {
    country_code: 'NL', party_id: 'BIG', id, publish: true, name: `Charging station ${index}`, address: `Stationsstraat ${index % 500}`, city: 'Utrecht', postal_code: '3511 AA', country: 'NLD',
    coordinates: { latitude: (52 + (index % 1000) / 10000).toFixed(6), longitude: (5 + (index % 997) / 10000).toFixed(6) }, time_zone: 'Europe/Amsterdam',
    evses: [evse(1), evse(2)], operator: { name: 'Big CPO' }, opening_times: { twentyfourseven: true }, last_updated,
  }
}

it(`builds a feed of ${COUNT} locations in chunks`, async () => {
  await applyD1Migrations(env.DB, env.MIGRATIONS)
  const db = databaseFor(env, party)
  const seedStart = Date.now()
  for (let start = 0; start < COUNT; start += 100) {
    const rows = Array.from({ length: Math.min(100, COUNT - start) }, (_, offset) => ({ ...locationRow(OWN_SOURCE, location(start + offset)), revision: 1 }))
    await db.batch(rows.map((row) => db.insert(locations).values(row)) as [never, ...never[]])
  }
  console.log(`seeded ${COUNT} locations in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`)

  const feed = { party, version: '2.3.0' as const, module: 'locations' as const }
  let state: FeedBuildState = newFeedBuild(feed, 'measure', Date.now())
  const stepMs: number[] = []
  const buildStart = Date.now()
  for (;;) {
    const started = Date.now()
    const result = await feedBuildJob.step(env, JSON.parse(JSON.stringify(state)) as FeedBuildState)
    stepMs.push(Date.now() - started)
    state = result.state
    if (result.done) break
  }
  const total = Date.now() - buildStart
  const sorted = [...stepMs].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  const snapshot = await latestSnapshot(databaseFor(env), feed)
  console.log(JSON.stringify({
    locations: COUNT, steps: stepMs.length, chunk_size: state.chunk_size, build_s: total / 1000,
    step_ms: { mean: Math.round(total / stepMs.length), p50: at(0.5), p90: at(0.9), max: sorted.at(-1) },
    ndjson_mb: +(state.ndjson_bytes / 1e6).toFixed(1), gzip_mb: +((snapshot?.size ?? 0) / 1e6).toFixed(1), parts: Math.ceil((snapshot?.size ?? 0) / (8 * 1024 * 1024)),
  }))
  expect(snapshot?.object_count).toBe(COUNT)
})
