// Issue 4, push side: an owner PATCH on the platform to its receipt at each of 10 connected peers. The peers are Node
// OCPI receivers in this process, registered through the real flow (POST /admin/v1/peers/connect with their token A),
// so the clock that stamps the PATCH and every receipt is the same.
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { percentile, round } from '../lib/load.mjs'
import { startPeerReceiver } from '../lib/peer-receiver.mjs'
import { launchPlatform } from '../lib/platform.mjs'
import { workingCopy } from '../lib/state.mjs'
import { generateLocation } from '../seed/location-generator.mjs'
import { adminRouteMissing, moduleMissing } from './modules.mjs'

const CPO = { country_code: 'NL', party_id: 'BPU' }
const RECEIPT_TIMEOUT_MS = 30_000
const BASE_TIME = Date.UTC(2026, 0, 1)

export async function pushScenario({ parameters, log, track, stop }) {
  const missing = (await moduleMissing('locations')) ?? (await adminRouteMissing('src/admin/peers.ts', '/peers/connect'))
  if (missing) return { skipped: missing }
  const platform = track(await launchPlatform('push', await workingCopy(undefined, 'push')))
  const peers = []
  try {
    await platform.admin('POST', '/parties', { ...CPO, role: 'CPO', business_details: { name: 'Bench Push CPO' } })
    const location = generateLocation(0, { count: 1, countryCode: CPO.country_code, partyId: CPO.party_id, baseTime: BASE_TIME })
    await platform.admin('PUT', `/locations/${CPO.country_code}/${CPO.party_id}/${location.id}`, location)

    log(`push: registering ${parameters.push_peers} peers through POST /admin/v1/peers/connect`)
    for (let index = 0; index < parameters.push_peers; index++) {
      const tokenA = randomBytes(18).toString('base64url')
      const peer = await startPeerReceiver({ countryCode: 'DE', partyId: `P${String(index).padStart(2, '0')}`, tokenA })
      peers.push(peer)
      const connected = await platform.admin('POST', '/peers/connect', { versions_url: peer.versionsUrl, token_a: tokenA, name: `bench peer ${index}` })
      if (connected.status !== 'CONNECTED') throw new Error(`peer ${index} registered as ${connected.status}`)
    }

    const evse = location.evses[0]
    const latencies = []
    const lastPeerLatencies = []
    const adminLatencies = []
    let missed = 0
    log(`push: ${parameters.push_updates} EVSE status PATCHes, each awaited at all ${peers.length} peers`)
    // Update 0 warms up (each peer's outbox Durable Object starts on its first push) and is not counted.
    for (let update = 0; update <= parameters.push_updates; update++) {
      const lastUpdated = new Date(BASE_TIME + (update + 1) * 1000).toISOString().replace('.000Z', 'Z')
      const status = update % 2 === 0 ? 'AVAILABLE' : 'CHARGING'
      const receipts = peers.map((peer) => receiptOf(peer, evse.uid, Date.parse(lastUpdated)))
      const sentAt = performance.now()
      await platform.admin('PATCH', `/locations/${CPO.country_code}/${CPO.party_id}/${location.id}/${evse.uid}`, { status, last_updated: lastUpdated })
      const adminLatency = performance.now() - sentAt
      const received = await Promise.all(receipts)
      if (update === 0) continue
      adminLatencies.push(adminLatency)
      const arrived = received.filter((at) => at !== undefined).map((at) => at - sentAt)
      missed += received.length - arrived.length
      latencies.push(...arrived)
      if (arrived.length === peers.length) lastPeerLatencies.push(Math.max(...arrived))
    }
    const ms = (value) => (value === undefined ? undefined : round(value, 1))
    const rows = [
      { name: `push PATCH -> each of ${peers.length} peers`, p50_ms: ms(percentile(latencies, 50)), p99_ms: ms(percentile(latencies, 99)), samples: latencies.length, missed, note: `${parameters.push_updates} updates` },
      { name: `push PATCH -> all ${peers.length} peers`, p50_ms: ms(percentile(lastPeerLatencies, 50)), p99_ms: ms(percentile(lastPeerLatencies, 99)), samples: lastPeerLatencies.length, note: 'until the last peer has it' },
      { name: 'admin PATCH response', p50_ms: ms(percentile(adminLatencies, 50)), p99_ms: ms(percentile(adminLatencies, 99)), samples: adminLatencies.length, note: 'stored + queued' },
    ]
    return {
      rows,
      figures: missed > 0 ? [`${missed} receipts did not arrive within ${RECEIPT_TIMEOUT_MS / 1000} s`] : [],
      parameters: { peers: peers.length, updates: parameters.push_updates, registration: 'real: POST /admin/v1/peers/connect to Node OCPI peers (versions, details, credentials, locations receiver)', measured: 'from sending the admin PATCH to each peer receiving the pushed PATCH' },
    }
  } finally {
    await Promise.all(peers.map((peer) => peer.close()))
    await stop(platform)
  }
}

/** Resolves with the receipt time of the push carrying this EVSE at this last_updated, or undefined after the timeout. */
function receiptOf(peer, evseUid, lastUpdatedMs) {
  return new Promise((resolve) => {
    const onPush = ({ path, body, receivedAt }) => {
      const matches = path.includes(`/${evseUid}`) && body && Date.parse(body.last_updated) === lastUpdatedMs
      const inLocation = body?.evses?.some((evse) => evse.uid === evseUid && Date.parse(evse.last_updated) === lastUpdatedMs)
      if (!matches && !inLocation) return
      clearTimeout(timer)
      peer.events.off('push', onPush)
      resolve(receivedAt)
    }
    const timer = setTimeout(() => {
      peer.events.off('push', onPush)
      resolve(undefined)
    }, RECEIPT_TIMEOUT_MS)
    peer.events.on('push', onPush)
  })
}
