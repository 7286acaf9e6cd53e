// Push: an owner's EVSE PATCH on the platform to its receipt at each of 10 connected peers. The peers are Node OCPI
// receivers in this process, registered through the real flow (POST /admin/v1/peers/connect with their token A), so
// the clock that stamps the PATCH and every receipt is the same. Three measurements:
// - one update at a time, each awaited at every peer (the unloaded latency);
// - closed loop: as many updates as a few concurrent writers manage, to find the rate the platform delivers;
// - open loop: updates at half that rate, latency from each update's scheduled time to its receipt at each peer.
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { round } from '../lib/load.mjs'
import { runOpenLoop } from '../lib/open-loop.mjs'
import { startPeerReceiver } from '../lib/peer-receiver.mjs'
import { adminCall, launchPlatform } from '../lib/platform.mjs'
import { workingCopy } from '../lib/state.mjs'
import { latencyTarget, percentile } from '../lib/stats.mjs'
import { generateLocation } from '../seed/location-generator.mjs'
import { adminRouteMissing, moduleMissing } from './modules.mjs'

const CPO = { country_code: 'NL', party_id: 'BPU' }
const RECEIPT_TIMEOUT_MS = 30_000
const BASE_TIME = Date.UTC(2026, 0, 1)
/** Locations (3 EVSEs each) the updates rotate over, so no two updates of one EVSE wait in an outbox together. */
const LOCATIONS = 50
const CLOSED_LOOP_WRITERS = 4

export async function pushScenario({ parameters, log, track, stop }) {
  const missing = (await moduleMissing('locations')) ?? (await adminRouteMissing('src/app/peers-admin.ts', '/peers/connect'))
  if (missing) return { skipped: missing }
  const runtime = parameters.runtimes[0]
  const platform = track(await launchPlatform('push', await workingCopy(undefined, 'push'), {}, { runtime }))
  const peers = []
  try {
    await platform.admin('POST', '/parties', { ...CPO, role: 'CPO', business_details: { name: 'Bench Push CPO' } })
    const locations = Array.from({ length: LOCATIONS }, (_, index) => generateLocation(index, { count: LOCATIONS, countryCode: CPO.country_code, partyId: CPO.party_id, baseTime: BASE_TIME }))
    for (const location of locations) await platform.admin('PUT', `/locations/${CPO.country_code}/${CPO.party_id}/${location.id}`, location)
    const evses = locations.flatMap((location) => location.evses.map((evse) => ({ locationId: location.id, uid: evse.uid })))

    log(`push: registering ${parameters.push_peers} peers through POST /admin/v1/peers/connect`)
    for (let index = 0; index < parameters.push_peers; index++) {
      const tokenA = randomBytes(18).toString('base64url')
      const peer = await startPeerReceiver({ countryCode: 'DE', partyId: `P${String(index).padStart(2, '0')}`, tokenA })
      peers.push(peer)
      const connected = await platform.admin('POST', '/peers/connect', { versions_url: peer.versionsUrl, token_a: tokenA, name: `bench peer ${index}` })
      if (connected.status !== 'CONNECTED') throw new Error(`peer ${index} registered as ${connected.status}`)
    }
    const receipts = receiptTracker(peers)
    let nextUpdate = 0
    /** Update number `n`: the n-th EVSE in rotation, a status flip and a last_updated no earlier update used. */
    const update = (startedAt) => {
      const n = nextUpdate++
      const evse = evses[n % evses.length]
      const lastUpdated = new Date(BASE_TIME + 100_000_000 + n * 1000).toISOString().replace('.000Z', 'Z')
      receipts.expect(`${evse.uid}|${Date.parse(lastUpdated)}`, startedAt ?? performance.now())
      return adminCall(platform.url, 'PATCH', `/locations/${CPO.country_code}/${CPO.party_id}/${evse.locationId}/${evse.uid}`, { status: n % 2 === 0 ? 'AVAILABLE' : 'CHARGING', last_updated: lastUpdated })
    }

    // 1. One at a time. Update 0 warms up (each peer's outbox Durable Object starts on its first push), not counted.
    log(`push: ${parameters.push_updates} EVSE status PATCHes, each awaited at all ${peers.length} peers`)
    const adminLatencies = []
    await update()
    await receipts.settle(RECEIPT_TIMEOUT_MS)
    receipts.reset()
    for (let index = 0; index < parameters.push_updates; index++) {
      const sentAt = performance.now()
      await update(sentAt)
      adminLatencies.push(performance.now() - sentAt)
      await receipts.settle(RECEIPT_TIMEOUT_MS)
    }
    const sequential = receipts.reset()

    // 2. Closed loop: the rate at which updates reach every peer when writers do not wait for the pushes.
    log(`push: closed loop, ${CLOSED_LOOP_WRITERS} writers for ${parameters.duration_s} s`)
    const closedStart = performance.now()
    const closedEnd = closedStart + parameters.duration_s * 1000
    await Promise.all(Array.from({ length: CLOSED_LOOP_WRITERS }, async () => {
      while (performance.now() < closedEnd) await update()
    }))
    const closedWritten = performance.now()
    await receipts.settle(RECEIPT_TIMEOUT_MS)
    const closed = receipts.reset()
    const closedSeconds = (Math.max(closed.lastReceiptAt ?? closedWritten, closedWritten) - closedStart) / 1000
    const deliveredRate = closed.complete / closedSeconds
    const writeRate = closed.updates / ((closedWritten - closedStart) / 1000)
    const maxRate = Math.min(deliveredRate, writeRate)

    // 3. Open loop at half that rate.
    const rate = Math.max(0.5, maxRate / 2)
    log(`push: open loop at ${round(rate, 1)} updates/s for ${parameters.duration_s} s`)
    const openLoop = await runOpenLoop({ rate, durationS: parameters.duration_s, send: () => update(performance.now()) })
    await receipts.settle(RECEIPT_TIMEOUT_MS)
    const open = receipts.reset()

    const ms = (value) => (value === undefined ? undefined : round(value, 1))
    const stats = (values) => ({ p50_ms: ms(percentile(values, 50)), p99_ms: ms(percentile(values, 99)) })
    const name = (text) => `${text} [${runtime}]`
    const rows = [
      { name: name(`push PATCH -> each of ${peers.length} peers, one at a time`), ...stats(sequential.latencies), samples: sequential.latencies.length, missed: sequential.missed, note: `${parameters.push_updates} updates` },
      { name: name(`push PATCH -> all ${peers.length} peers, one at a time`), ...stats(sequential.lastPeer), samples: sequential.lastPeer.length, note: 'until the last peer has it' },
      { name: name('admin PATCH response, one at a time'), ...stats(adminLatencies), samples: adminLatencies.length, note: 'stored + queued' },
      { name: name(`push closed loop, ${CLOSED_LOOP_WRITERS} writers`), requests_per_second: round(maxRate, 1), ...stats(closed.latencies), samples: closed.latencies.length, missed: closed.missed, note: `${round(writeRate, 1)} writes/s, ${round(deliveredRate, 1)} delivered to all peers/s` },
      { name: name(`push -> each of ${peers.length} peers, open loop`), open_loop_rate: round(rate, 1), ...stats(open.latencies), samples: open.latencies.length, missed: open.missed, errors: openLoop.errors, note: `${round(rate, 1)} updates/s = half the max; from scheduled time` },
    ]
    const lost = sequential.missed + closed.missed + open.missed
    return {
      rows,
      targets: [latencyTarget({ name: `push to ${peers.length} peers, open loop at half max`, value_ms: ms(percentile(open.latencies, 99)), max_ms: 100, rate: round(rate, 1), missed: open.missed })],
      figures: lost > 0 ? [`${lost} (update, peer) receipts did not arrive within ${RECEIPT_TIMEOUT_MS / 1000} s`] : [],
      parameters: { runtime, peers: peers.length, updates: parameters.push_updates, locations: LOCATIONS, evses: evses.length, closed_loop_writers: CLOSED_LOOP_WRITERS, registration: 'real: POST /admin/v1/peers/connect to Node OCPI peers (versions, details, credentials, locations receiver)', measured: 'from sending (or, open loop, the scheduled time of) the admin PATCH to each peer receiving the pushed PATCH' },
    }
  } finally {
    await Promise.all(peers.map((peer) => peer.close()))
    await stop(platform)
  }
}

/**
 * Matches pushes arriving at the peers with the updates sent: an update is expected under `evse uid|last_updated ms`
 * with its start time; each peer's first push carrying it is one receipt.
 */
function receiptTracker(peers) {
  let expected = new Map()
  let latencies = []
  let lastPeer = []
  let lastReceiptAt
  for (const peer of peers) {
    peer.events.on('push', ({ path, body, receivedAt }) => {
      for (const key of updateKeys(path, body)) {
        const entry = expected.get(key)
        if (!entry || entry.peers.has(peer)) continue
        entry.peers.add(peer)
        latencies.push(receivedAt - entry.at)
        lastReceiptAt = receivedAt
        if (entry.peers.size === peers.length) lastPeer.push(receivedAt - entry.at)
      }
    })
  }
  const outstanding = () => [...expected.values()].reduce((sum, entry) => sum + peers.length - entry.peers.size, 0)
  return {
    expect: (key, at) => expected.set(key, { at, peers: new Set() }),
    /** Resolves once every expected receipt arrived, or after timeoutMs without progress. */
    async settle(timeoutMs) {
      let last = outstanding()
      let since = performance.now()
      while (last > 0 && performance.now() - since < timeoutMs) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        const now = outstanding()
        if (now < last) since = performance.now()
        last = now
      }
    },
    /** The receipts so far; starts a new measurement. */
    reset() {
      const result = { latencies, lastPeer, missed: outstanding(), updates: expected.size, complete: lastPeer.length, lastReceiptAt }
      expected = new Map()
      latencies = []
      lastPeer = []
      lastReceiptAt = undefined
      return result
    },
  }
}

/** The updates a push carries: an EVSE PATCH/PUT (its uid is the last path segment) or a location with EVSEs. */
function updateKeys(path, body) {
  if (!body) return []
  const keys = []
  const segments = path.split('/')
  if (body.last_updated) keys.push(`${segments[segments.length - 1]}|${Date.parse(body.last_updated)}`)
  for (const evse of body.evses ?? []) if (evse.last_updated) keys.push(`${evse.uid}|${Date.parse(evse.last_updated)}`)
  return keys
}
