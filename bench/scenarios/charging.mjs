// Charging at scale on one CPO platform (production-like runtime) with the built-in charge point simulator:
// - command round trip: an ocpi-edge eMSP platform's `POST /admin/v1/commands/{peer}/START_SESSION` until the
//   CommandResult from the CPO reaches it (the time the eMSP's command history records the result);
// - live sessions: a Node eMSP peer starts `sessions` sessions over OCPI; each ChargingSession Durable Object reads its
//   meter every `session_update_s` seconds (SIMULATOR_SPEED = 60 / session_update_s) and pushes the session to the
//   peer through the outbox. Push latency is from the session's `last_updated` (stamped by the CPO when it writes the
//   change) to its arrival; "no update lost" is proved per session (bench/lib/session-accounting.mjs): every update of
//   the measured window reached the peer in order or was superseded while queued, and the CPO's state after it arrived.
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { startEmspPeer } from '../lib/emsp-peer.mjs'
import { adminCall, launchPlatform } from '../lib/platform.mjs'
import { workingCopy } from '../lib/state.mjs'
import { percentile, round } from '../lib/stats.mjs'
import { processGroupCpuMs } from '../lib/cpu.mjs'
import { updateAccounting } from '../lib/session-accounting.mjs'
import { moduleMissing } from './modules.mjs'

const CPO = { country_code: 'NL', party_id: 'BCH' }
const EMSP = { country_code: 'DE', party_id: 'BEM' }
const FAKE = { country_code: 'DE', party_id: 'BFK' }
const EVSES_PER_LOCATION = 10
/** START_SESSION commands the eMSP peer posts at once, at most, while starting the sessions. */
const START_POSTS = 8
/** Starts in progress (command sent, session not yet ACTIVE at the peer), at most: the back-pressure. */
const START_WINDOW = 32
/** Times one session's START_SESSION is sent when the CPO refuses it or the charge point fails. */
const START_ATTEMPTS = 3
/** How long after the measured window the peer may take to receive every session's state at the window's end. */
const SETTLE_MS = 30_000
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

export async function chargingScenario({ parameters, log, track, stop }) {
  const missing = (await moduleMissing('commands')) ?? (await moduleMissing('sessions'))
  if (missing) return { skipped: missing }
  const { sessions: sessionCount, session_update_s: updateSeconds, session_rounds: rounds, commands: commandCount } = parameters
  const speed = 60 / updateSeconds
  // In memory: a command and a live session are each a new Durable Object, so a disk's fsyncs would set the pace.
  const cpoState = await workingCopy(undefined, 'charging-cpo', { inMemory: true })
  const emspState = await workingCopy(undefined, 'charging-emsp', { inMemory: true })
  const cpo = track(await launchPlatform('charging-cpo', cpoState, { SIMULATOR_SPEED: String(speed) }))
  const emsp = track(await launchPlatform('charging-emsp', emspState))
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
    const outboxToPeer = async () => (await cpo.admin('GET', `/peers/${fakePeer.peer_id}`)).outbox
    const live = await measureLiveSessions({ cpo, fake, outboxToPeer, evses: evses.slice(commandCount, commandCount + sessionCount), updateSeconds, rounds, startBudgetS: parameters.session_start_budget_s, log })
    // The CPO's outbox towards the peer: delivered, coalesced (an update superseded by a newer one of the same session
    // while queued: not lost, the newer state carries it), failures, depth.
    const outbox = (await cpo.admin('GET', `/peers/${fakePeer.peer_id}`)).outbox
    live.report.cpo_outbox_to_peer = outbox
    // Accounting of every session change queued for the peer: delivered (and received), superseded while queued, still
    // queued, or given up (dropped/rejected). Received must equal delivered: nothing vanishes between the two.
    if (outbox) live.report.outbox_accounting = { delivered: outbox.delivered, received_by_peer: fake.sessionPushes.length + fake.cdrs.length, coalesced: outbox.coalesced, queued: outbox.depth, dropped: outbox.dropped, rejected: outbox.rejected }
    const rows = [
      { name: 'command round trip START_SESSION [workerd]', ...roundTrip.stats, samples: roundTrip.latencies.length, note: `eMSP admin POST -> CommandResult recorded at the eMSP; includes the simulator's ${round(1000 / speed, 0)} ms answer time` },
      {
        name: `session updates, ${live.sessions} live sessions -> eMSP peer [workerd]`, requests_per_second: live.updatesPerSecond, ...live.stats, samples: live.proof.received,
        workerd_cpu_ms_per_request: live.cpuMsPerUpdate,
        note: `every ${updateSeconds} s; ${live.proof.received} of ${live.proof.produced} updates received in order, ${live.proof.superseded} superseded while queued, ${live.proof.lost} sessions' final state lost`,
      },
    ]
    const figures = [live.startSummary, live.summary, `outbox towards the eMSP peer: ${JSON.stringify(live.report.outbox_accounting ?? {})}`]
    return {
      rows,
      figures,
      live_sessions: live.report,
      command_round_trip: { ...roundTrip.stats, samples: roundTrip.latencies.length, states: roundTrip.states },
      parameters: {
        runtime: 'workerd', sessions: sessionCount, update_every_s: updateSeconds, simulator_speed: speed, observed_rounds: rounds, commands: commandCount, start_posts_in_flight: START_POSTS, start_window: START_WINDOW, start_budget_s: parameters.session_start_budget_s,
        shortened: updateSeconds !== 10 || sessionCount !== 1000 ? `${sessionCount} sessions updating every ${updateSeconds} s (the issue asks 1,000 every 10 s)` : undefined,
      },
    }
  } finally {
    await fake?.close()
    await stop(emsp)
    await stop(cpo)
    await Promise.all([cpoState, emspState].map((dir) => rm(dir, { recursive: true, force: true })))
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

async function measureLiveSessions({ cpo, fake, outboxToPeer, evses, updateSeconds, rounds, startBudgetS, log }) {
  const started = await startSessions({ cpo, fake, evses, budgetMs: startBudgetS * 1000, log })
  log(`charging: ${started.active} of ${evses.length} sessions ACTIVE at the eMSP peer after ${round(started.seconds, 1)} s (${JSON.stringify(started.outcomes)}); measuring ${rounds} rounds of ${updateSeconds} s`)

  // The measured window: the CPU the CPO's platform spends in it, and afterwards the CPO's own state of every session.
  // Each meter reading of a simulated session adds one charging period and is pushed as the whole session, so a
  // session's period count numbers its updates, and the periods' start times date the readings that made them: the
  // updates produced in the window are those whose reading falls in it.
  const group = [cpo.child.pid]
  const windowStart = Date.now()
  const cpuBefore = await processGroupCpuMs(group)
  const outboxBefore = await outboxToPeer()
  await sleep(rounds * updateSeconds * 1000 - (Date.now() - windowStart))
  const cpuAfter = await processGroupCpuMs(group)
  const windowEnd = Date.now()
  const outboxAfter = await outboxToPeer()
  const after = await ownSessions(cpo)
  const windowSeconds = (windowEnd - windowStart) / 1000

  // Then wait (bounded) until the peer holds every session's state as the CPO held it after the window.
  const latestAtPeer = () => {
    const latest = new Map()
    for (const push of fake.sessionPushes) latest.set(push.id, Math.max(latest.get(push.id) ?? -1, push.periods ?? 0))
    return latest
  }
  // Sessions keep charging after the window: a newer state may arrive instead of the window's last one, carrying it.
  const behind = () => {
    const latest = latestAtPeer()
    return [...after.values()].filter((session) => (latest.get(session.id) ?? -1) < session.periods)
  }
  const settleStart = Date.now()
  while (behind().length > 0 && Date.now() - settleStart < SETTLE_MS) await sleep(200)
  const settleMs = Date.now() - settleStart

  const proof = updateAccounting({ sessions: after, pushes: fake.sessionPushes, from: windowStart, to: windowEnd })
  const ms = (value) => (value === undefined ? undefined : round(value, 1))
  const nominal = after.size / updateSeconds
  const cpuMsPerUpdate = cpuBefore && cpuAfter && proof.produced > 0 ? round((cpuAfter.workerd - cpuBefore.workerd) / proof.produced, 2) : undefined
  const report = {
    sessions: evses.length, start: started.report, sessions_measured: after.size,
    window_s: round(windowSeconds, 1),
    updates_produced_by_cpo: proof.produced, updates_per_second: round(proof.produced / windowSeconds, 1), nominal_updates_per_second: round(nominal, 1),
    effective_update_interval_s: proof.produced > 0 ? round((after.size * windowSeconds) / proof.produced, 1) : undefined,
    updates_received_in_order: proof.received, updates_superseded_in_outbox: proof.superseded, duplicates: proof.duplicates, out_of_order: proof.outOfOrder,
    sessions_latest_state_not_received: proof.lost, settle_ms: settleMs,
    cpo_workerd_cpu_ms_per_update: cpuMsPerUpdate,
    cpo_workerd_cpu_share_of_a_core: cpuBefore && cpuAfter ? round((cpuAfter.workerd - cpuBefore.workerd) / (windowEnd - windowStart), 2) : undefined,
    // What the CPO's outbox towards the peer did in the window: pushes delivered, and queued ones replaced by newer.
    outbox_in_window: outboxBefore && outboxAfter ? {
      delivered: outboxAfter.delivered - outboxBefore.delivered, delivered_per_second: round((outboxAfter.delivered - outboxBefore.delivered) / windowSeconds, 1),
      coalesced: outboxAfter.coalesced - outboxBefore.coalesced, depth_at_start: outboxBefore.depth, depth_at_end: outboxAfter.depth,
    } : undefined,
    cdrs_received: fake.cdrs.length,
    requests_refused_by_peer: fake.refused.length,
    refused_sample: fake.refused.slice(0, 5),
  }
  return {
    sessions: after.size,
    proof,
    updatesPerSecond: round(proof.produced / windowSeconds, 1),
    cpuMsPerUpdate,
    stats: { p50_ms: ms(percentile(proof.latencies, 50)), p99_ms: ms(percentile(proof.latencies, 99)) },
    report,
    startSummary: `${started.active} of ${evses.length} sessions ACTIVE at the eMSP peer ${round(started.seconds, 0)} s after the first START_SESSION (${started.report.starts_per_second}/s, at most ${START_WINDOW} starting at once; ${JSON.stringify(started.outcomes)})`,
    summary: `window of ${round(windowSeconds, 0)} s over ${after.size} sessions: the CPO produced ${proof.produced} updates (${round(proof.produced / windowSeconds, 1)}/s, nominal ${round(nominal, 1)}/s); the eMSP received ${proof.received} of them${proof.outOfOrder === 0 ? ', in order for every session' : ''}; ${proof.superseded} superseded while queued (the next state carried them), ${proof.duplicates} duplicates, ${proof.outOfOrder} out of order; ${proof.lost} sessions' final state missing ${SETTLE_MS / 1000} s after the window; ${cpuMsPerUpdate ?? '?'} ms of CPO workerd CPU per update`,
  }
}

/**
 * Starts the sessions from the eMSP peer at the rate the CPO sustains: at most START_POSTS commands posted at once and
 * at most START_WINDOW starts in progress (command sent, session not yet ACTIVE at the peer), so a busy CPO slows the
 * starts down instead of queueing commands until they time out, or session pushes in its outbox. A refused or failed start is sent again
 * (START_ATTEMPTS in all). Then waits until every accepted session is ACTIVE at the peer (its first push); all of it
 * within the budget.
 */
async function startSessions({ fake, cpo, evses, budgetMs, log }) {
  const startedAt = Date.now()
  const items = evses.map((evse, index) => ({ evse, uid: appToken(FAKE, index).uid, index, attempts: 0 }))
  const byUid = new Map(items.map((item) => [item.uid, item]))
  const queue = [...items]
  const awaitingResult = new Map() // token uid -> item: command sent, CommandResult not yet at the peer
  const commandOf = new Map() // command id -> item
  const accepted = new Set() // token uids whose charge point accepted the start
  const active = new Set() // token uids whose session the peer holds as ACTIVE
  const outcomes = {}
  const count = (outcome) => (outcomes[outcome] = (outcomes[outcome] ?? 0) + 1)
  let posting = 0
  let nextLog = startedAt + 15_000
  const failed = (item, outcome) => {
    count(outcome)
    awaitingResult.delete(item.uid)
    if (item.attempts < START_ATTEMPTS) queue.push(item)
  }
  const seen = (push) => {
    const item = byUid.get(push.token_uid)
    if (push.status !== 'ACTIVE' || !item || active.has(item.uid)) return
    active.add(item.uid)
    item.activeAt = push.receivedAt
  }
  const resulted = (id, { result, receivedAt }) => {
    const item = commandOf.get(id)
    if (!item || !awaitingResult.has(item.uid)) return
    if (result !== 'ACCEPTED') return failed(item, `result ${result}`)
    count('result ACCEPTED')
    item.resultAt = receivedAt
    awaitingResult.delete(item.uid)
    accepted.add(item.uid)
  }
  fake.hooks.sessionPush = seen
  fake.hooks.result = resulted
  const send = async (item) => {
    item.attempts++
    item.sentAt = Date.now()
    item.firstSentAt ??= item.sentAt
    awaitingResult.set(item.uid, item)
    posting++
    try {
      const { id, response, status } = await fake.startSession(cpo.url, CPO, { token: appToken(FAKE, item.index), locationId: item.evse.locationId, evseUid: item.evse.uid })
      if (status !== 1000 || response?.result !== 'ACCEPTED') return failed(item, `response ${status} ${response?.result ?? ''}`.trim())
      commandOf.set(id, item)
      // The result may have come before this answer was read.
      if (fake.results.has(id)) resulted(id, fake.results.get(id))
    } catch (error) {
      failed(item, String(error.message ?? error).slice(0, 60))
    } finally {
      posting--
    }
  }
  const pending = () => queue.length > 0 || awaitingResult.size > 0 || [...accepted].some((uid) => !active.has(uid))
  while (pending() && Date.now() - startedAt < budgetMs) {
    // A start is complete when the peer holds the session: commands whose session is not there yet fill the window,
    // so new sessions come no faster than the CPO answers commands and its outbox brings their pushes to the peer.
    const starting = () => awaitingResult.size + accepted.size - [...accepted].filter((uid) => active.has(uid)).length
    while (queue.length > 0 && posting < START_POSTS && starting() < START_WINDOW) void send(queue.shift())
    if (Date.now() >= nextLog) {
      log(`charging: ${active.size} sessions ACTIVE at the eMSP peer, ${accepted.size} accepted by the charge point, ${awaitingResult.size} awaiting their CommandResult, ${queue.length} to send`)
      nextLog += 15_000
    }
    await sleep(10)
  }
  const seconds = (Date.now() - startedAt) / 1000
  const ms = (values, p) => round(percentile(values, p) ?? 0, 0)
  const activeItems = items.filter((item) => item.activeAt)
  // Where a start spends its time: the command until its CommandResult reaches the peer (the tracker's dispatch, the
  // simulator, the result's POST), and the session's first push through the outbox until it reaches the peer.
  const timed = activeItems.filter((item) => item.resultAt)
  const toActive = activeItems.map((item) => item.activeAt - item.firstSentAt)
  const toResult = timed.map((item) => item.resultAt - item.sentAt)
  const resultToActive = timed.map((item) => item.activeAt - item.resultAt)
  return {
    active: active.size,
    seconds,
    outcomes,
    report: {
      sessions_active_at_emsp: active.size, seconds: round(seconds, 1), budget_s: budgetMs / 1000, starts_per_second: round(active.size / seconds, 1),
      window: START_WINDOW, posts_in_flight: START_POSTS, outcomes, not_started: evses.length - active.size,
      start_to_active_p50_ms: ms(toActive, 50), start_to_active_p99_ms: ms(toActive, 99),
      command_to_result_p50_ms: ms(toResult, 50), command_to_result_p99_ms: ms(toResult, 99),
      result_to_active_p50_ms: ms(resultToActive, 50), result_to_active_p99_ms: ms(resultToActive, 99),
    },
  }
}

/** The CPO's own sessions of the peer's tokens by id: their period count (the number of updates so far) and state. */
async function ownSessions(cpo) {
  const sessions = new Map()
  for (let offset = 0; ; offset += 500) {
    const page = await adminCall(cpo.url, 'GET', `/sessions?source=own&limit=500&offset=${offset}`)
    for (const session of page) {
      if (session.cdr_token?.party_id !== FAKE.party_id) continue
      const periods = session.charging_periods ?? []
      // Reading k (k = 1..periods) made period k; it is the start of period k + 1, the last one stamped the session.
      const readings = periods.slice(1).map((period) => Date.parse(period.start_date_time)).concat(periods.length > 0 ? [Date.parse(session.last_updated)] : [])
      sessions.set(session.id, { id: session.id, periods: periods.length, readings, kwh: session.kwh, last_updated: Date.parse(session.last_updated) })
    }
    if (page.length < 500) break
  }
  return sessions
}
