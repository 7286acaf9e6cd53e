// Charging at scale on one CPO platform (production-like runtime) with the built-in charge point simulator:
// - command round trip: an ocpi-edge eMSP platform's `POST /admin/v1/commands/{peer}/START_SESSION` until the
//   CommandResult from the CPO reaches it (the time the eMSP's command history records the result);
// - live sessions: a Node eMSP peer starts `sessions` sessions over OCPI; each ChargingSession Durable Object reads its
//   meter every `session_update_s` seconds (SIMULATOR_SPEED = 60 / session_update_s) and pushes the session to the
//   peer through the outbox. Push latency is from the session's `last_updated` (stamped by the CPO when it writes the
//   change) to its arrival; "no update lost" is checked by comparing, per session, the CPO's own latest state with the
//   latest the peer received.
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { startEmspPeer } from '../lib/emsp-peer.mjs'
import { adminCall, launchPlatform } from '../lib/platform.mjs'
import { workingCopy } from '../lib/state.mjs'
import { percentile, round } from '../lib/stats.mjs'
import { moduleMissing } from './modules.mjs'

const CPO = { country_code: 'NL', party_id: 'BCH' }
const EMSP = { country_code: 'DE', party_id: 'BEM' }
const FAKE = { country_code: 'DE', party_id: 'BFK' }
const EVSES_PER_LOCATION = 10
/** START_SESSION commands the eMSP peer keeps in flight while starting the sessions. */
const START_CONCURRENCY = 8
const SETTLE_MS = 20_000

export async function chargingScenario({ parameters, log, track, stop }) {
  const missing = (await moduleMissing('commands')) ?? (await moduleMissing('sessions'))
  if (missing) return { skipped: missing }
  const { sessions: sessionCount, session_update_s: updateSeconds, session_rounds: rounds, commands: commandCount } = parameters
  const speed = 60 / updateSeconds
  const cpo = track(await launchPlatform('charging-cpo', await workingCopy(undefined, 'charging-cpo'), { SIMULATOR_SPEED: String(speed) }))
  const emsp = track(await launchPlatform('charging-emsp', await workingCopy(undefined, 'charging-emsp')))
  let fake
  try {
    await cpo.admin('POST', '/parties', { ...CPO, role: 'CPO', business_details: { name: 'Bench Charging CPO' } })
    await emsp.admin('POST', '/parties', { ...EMSP, role: 'EMSP', business_details: { name: 'Bench eMSP' } })
    const evses = []
    const locationCount = Math.ceil((sessionCount + commandCount) / EVSES_PER_LOCATION)
    log(`charging: ${locationCount} locations of ${EVSES_PER_LOCATION} EVSEs on the CPO`)
    for (let index = 0; index < locationCount; index++) {
      const location = locationOf(index)
      await cpo.admin('PUT', `/locations/${CPO.country_code}/${CPO.party_id}/${location.id}`, location)
      evses.push(...location.evses.map((evse) => ({ locationId: location.id, uid: evse.uid })))
    }
    // The eMSP platform registers with the CPO (invite there, connect here); the CPO registers with the Node peer.
    const invite = await cpo.admin('POST', '/peers/invite', { name: 'bench eMSP platform' })
    const emspPeer = await emsp.admin('POST', '/peers/connect', { versions_url: invite.versions_url, token_a: invite.token_a })
    const tokenA = randomBytes(18).toString('base64url')
    fake = await startEmspPeer({ countryCode: FAKE.country_code, partyId: FAKE.party_id, tokenA })
    const fakePeer = await cpo.admin('POST', '/peers/connect', { versions_url: fake.versionsUrl, token_a: tokenA, name: 'bench eMSP peer' })

    const roundTrip = await measureCommandRoundTrip({ emsp, peerId: emspPeer.peer_id, evses: evses.slice(0, commandCount), log })
    const live = await measureLiveSessions({ cpo, fake, evses: evses.slice(commandCount, commandCount + sessionCount), updateSeconds, rounds, startBudgetS: parameters.session_start_budget_s, log })
    // The CPO's outbox towards the peer: delivered, coalesced (an update superseded by a newer one of the same session
    // while queued: not lost, the newer state carries it), failures, depth.
    const outbox = (await cpo.admin('GET', `/peers/${fakePeer.peer_id}`)).outbox
    live.report.cpo_outbox_to_peer = outbox
    live.lost = outbox ? outbox.dropped + outbox.rejected : undefined
    // Accounting of every session change queued for the peer: delivered (and received), superseded while queued, still
    // queued, or given up (dropped/rejected). Received must equal delivered: nothing vanishes between the two.
    if (outbox) live.report.outbox_accounting = { delivered: outbox.delivered, received_by_peer: fake.sessionPushes.length + fake.cdrs.length, coalesced: outbox.coalesced, queued: outbox.depth, dropped: outbox.dropped, rejected: outbox.rejected }
    const rows = [
      { name: 'command round trip START_SESSION [workerd]', ...roundTrip.stats, samples: roundTrip.latencies.length, note: `eMSP admin POST -> CommandResult recorded at the eMSP; includes the simulator's ${round(1000 / speed, 0)} ms answer time` },
      { name: `session updates, ${live.sessions} live sessions -> eMSP peer [workerd]`, requests_per_second: live.updates_per_second, ...live.stats, samples: live.received, note: `every ${updateSeconds} s; lost (dropped or rejected by the outbox): ${live.lost ?? 'unknown'}; ${live.behind} sessions behind at the end` },
    ]
    const figures = [live.summary, `outbox towards the eMSP peer: ${JSON.stringify(live.report.outbox_accounting ?? {})}`]
    return {
      rows,
      figures,
      live_sessions: live.report,
      command_round_trip: { ...roundTrip.stats, samples: roundTrip.latencies.length, states: roundTrip.states },
      parameters: {
        runtime: 'workerd', sessions: sessionCount, update_every_s: updateSeconds, simulator_speed: speed, observed_rounds: rounds, commands: commandCount, start_concurrency: START_CONCURRENCY, start_budget_s: parameters.session_start_budget_s,
        shortened: updateSeconds !== 10 || sessionCount !== 1000 ? `${sessionCount} sessions updating every ${updateSeconds} s (the issue asks 1,000 every 10 s)` : undefined,
      },
    }
  } finally {
    await fake?.close()
    await stop(emsp)
    await stop(cpo)
  }
}

/** A location of the bench CPO with EVSES_PER_LOCATION available EVSEs, one Type 2 connector each. */
function locationOf(index) {
  const last_updated = new Date().toISOString()
  const id = `CHG${String(index + 1).padStart(5, '0')}`
  return {
    ...CPO, id, publish: true, address: 'Stationsplein 1', city: 'Amsterdam', postal_code: '1012 AB', country: 'NLD',
    coordinates: { latitude: '52.378901', longitude: '4.900272' }, time_zone: 'Europe/Amsterdam', last_updated,
    evses: Array.from({ length: EVSES_PER_LOCATION }, (_, position) => ({
      uid: `${id}-${position + 1}`, evse_id: `NL*${CPO.party_id}*E${index + 1}X${position + 1}`, status: 'AVAILABLE', last_updated,
      connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 16, last_updated }],
    })),
  }
}

const appToken = (party, index) => ({
  ...party, uid: `APP${party.party_id}${String(index).padStart(6, '0')}`, type: 'APP_USER', contract_id: `${party.country_code}-${party.party_id}-C${String(index).padStart(8, '0')}`,
  issuer: 'Bench eMSP', valid: true, whitelist: 'ALLOWED', last_updated: new Date().toISOString(),
})

async function measureCommandRoundTrip({ emsp, peerId, evses, log }) {
  log(`charging: ${evses.length} START_SESSION command round trips from the eMSP platform`)
  const latencies = []
  const states = {}
  let next = 0
  // Two commands in flight at a time: a steady trickle, as an eMSP app's users would send them.
  await Promise.all([0, 1].map(async () => {
    while (next < evses.length) {
      const index = next++
      const evse = evses[index]
      const sentAt = Date.now()
      const sent = await adminCall(emsp.url, 'POST', `/commands/${peerId}/START_SESSION?to=${CPO.country_code}*${CPO.party_id}`, {
        token: appToken(EMSP, index), location_id: evse.locationId, evse_uid: evse.uid, connector_id: '1',
      })
      for (let polls = 0; polls < 600; polls++) {
        const view = await adminCall(emsp.url, 'GET', `/commands/${sent.command_id}`)
        if (view.command?.final) {
          states[view.command.state] = (states[view.command.state] ?? 0) + 1
          const result = view.history?.find((entry) => entry.event === 'result')
          if (result) latencies.push(Date.parse(result.at) - sentAt)
          break
        }
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    }
  }))
  const ms = (value) => (value === undefined ? undefined : round(value, 1))
  return { latencies, states, stats: { p50_ms: ms(percentile(latencies, 50)), p99_ms: ms(percentile(latencies, 99)) } }
}

async function measureLiveSessions({ cpo, fake, evses, updateSeconds, rounds, startBudgetS, log }) {
  log(`charging: starting ${evses.length} sessions from the eMSP peer, ${START_CONCURRENCY} commands in flight, for at most ${startBudgetS} s`)
  const startedAt = Date.now()
  const responses = {}
  // A bounded number of commands in flight: the CPO answers each as fast as it can and the sessions start steadily.
  // A machine too busy to start them all within the budget still measures the sessions that did start.
  let next = 0
  await Promise.all(Array.from({ length: START_CONCURRENCY }, async () => {
    while (next < evses.length && Date.now() - startedAt < startBudgetS * 1000) {
      const index = next++
      const evse = evses[index]
      const { response, status } = await fake.startSession(cpo.url, CPO, { token: appToken(FAKE, index), locationId: evse.locationId, evseUid: evse.uid })
        .catch((error) => ({ status: String(error.message ?? error).slice(0, 60) }))
      const outcome = status === 1000 ? response?.result : `status ${status}`
      responses[outcome] = (responses[outcome] ?? 0) + 1
    }
  }))
  const startSeconds = (Date.now() - startedAt) / 1000
  log(`charging: sessions started in ${round(startSeconds, 1)} s (${JSON.stringify(responses)}); observing ${rounds} rounds of ${updateSeconds} s`)
  await new Promise((resolve) => setTimeout(resolve, rounds * updateSeconds * 1000))

  // The CPO's own state of every session (its latest write), then wait until the peer has each of them.
  const snapshotAt = Date.now()
  const own = []
  for (let offset = 0; ; offset += 500) {
    const page = await adminCall(cpo.url, 'GET', `/sessions?source=own&limit=500&offset=${offset}`)
    own.push(...page.filter((session) => session.cdr_token?.party_id === FAKE.party_id))
    if (page.length < 500) break
  }
  const latestAtPeer = () => {
    const latest = new Map()
    for (const push of fake.sessionPushes) latest.set(push.id, Math.max(latest.get(push.id) ?? 0, push.last_updated))
    return latest
  }
  const behind = () => {
    const latest = latestAtPeer()
    return own.filter((session) => (latest.get(session.id) ?? 0) < Date.parse(session.last_updated))
  }
  const settleStart = Date.now()
  while (behind().length > 0 && Date.now() - settleStart < SETTLE_MS) await new Promise((resolve) => setTimeout(resolve, 200))
  const lost = behind().length

  const pushes = fake.sessionPushes.filter((push) => push.receivedAt <= snapshotAt + SETTLE_MS)
  const latencies = pushes.map((push) => push.receivedAt - push.last_updated)
  const distinct = new Set(pushes.map((push) => `${push.id}|${push.last_updated}`)).size
  // Writes the schedule implies: the session's creation, then one meter reading every updateSeconds until the snapshot.
  const expected = own.reduce((sum, session) => sum + 1 + Math.floor((snapshotAt - Date.parse(session.start_date_time)) / (updateSeconds * 1000)), 0)
  const observedSeconds = (snapshotAt - startedAt) / 1000
  const ms = (value) => (value === undefined ? undefined : round(value, 1))
  const report = {
    sessions_started: responses, sessions_at_cpo: own.length, start_seconds: round(startSeconds, 1), observed_seconds: round(observedSeconds, 1),
    pushes_received: pushes.length, distinct_updates_received: distinct, updates_expected_by_schedule: expected,
    sessions_behind_after_settle: lost, settle_ms: Date.now() - settleStart,
    cdrs_received: fake.cdrs.length,
    command_results_received: fake.results.size,
    requests_refused_by_peer: fake.refused.length,
    refused_sample: fake.refused.slice(0, 5),
  }
  return {
    sessions: own.length,
    received: pushes.length,
    behind: lost,
    updates_per_second: round(distinct / observedSeconds, 1),
    stats: { p50_ms: ms(percentile(latencies, 50)), p99_ms: ms(percentile(latencies, 99)) },
    report,
    summary: `${own.length} of ${evses.length} sessions started in ${round(startSeconds, 0)} s (${JSON.stringify(responses)}); ${distinct} distinct updates received of ~${expected} the schedule wrote (the outbox replaces a queued update by a newer state of the same session); ${lost} sessions' latest state not yet at the eMSP ${SETTLE_MS / 1000} s after the CPO's snapshot`,
  }
}
