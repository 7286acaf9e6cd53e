// The tariff engine (src/tariff/) in-process: sessions priced per second for the spec's most complex tariff
// (mod_tariffs "Complex Tariff example", tariff_4_complex.json) and a session of 100 charging periods, and how far
// that is from 1 µs per session (a pure Rust library prices one such session in under 1 µs). No platform is started.
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import { importAppCode } from '../seed/app-code.mjs'

const TARIFF = 'test/fixtures/spec/2.3.0/examples/tariff_4_complex.json'
const TIME_ZONE = 'Europe/Berlin'
const PERIODS = 100
const PERIOD_SECONDS = 170
const CHARGING_PERIODS = 60

/**
 * A Friday session from 06:45 local time: 60 charging periods of 170 s whose current swings around the 32 A of the
 * tariff's restrictions every 10 periods (TIME switches between its elements), then 40 parking periods running
 * past 09:00, where the weekday parking price starts. Every period reports energy, time and current.
 */
export function complexSession() {
  const start = Date.UTC(2026, 0, 9, 5, 45) // 06:45 in Berlin (UTC+1), a Friday
  const charging_periods = Array.from({ length: PERIODS }, (_, index) => {
    const charging = index < CHARGING_PERIODS
    const strong = Math.floor(index / 10) % 2 === 1
    const hours = Number((PERIOD_SECONDS / 3600).toFixed(4))
    const dimensions = charging
      ? [
          { type: 'ENERGY', volume: strong ? 1.8 : 0.52 },
          { type: 'TIME', volume: hours },
          { type: 'MIN_CURRENT', volume: strong ? 40 : 10 },
          { type: 'MAX_CURRENT', volume: strong ? 48 : 16 },
        ]
      : [{ type: 'PARKING_TIME', volume: hours }]
    return { start_date_time: new Date(start + index * PERIOD_SECONDS * 1000).toISOString(), dimensions }
  })
  return {
    start_date_time: charging_periods[0].start_date_time,
    end_date_time: new Date(start + PERIODS * PERIOD_SECONDS * 1000).toISOString(),
    charging_periods,
  }
}

export async function tariffScenario({ parameters, log }) {
  const { priceSession } = await importAppCode('tariff-engine', { 'src/tariff/index': ['priceSession'] })
  const tariff = JSON.parse(await readFile(TARIFF, 'utf8'))
  const session = complexSession()
  const context = { time_zone: TIME_ZONE }
  const first = priceSession(tariff, session, context)
  log(`tariff: one session costs ${first.total_cost.before_taxes} EUR before taxes, ${first.total_cost.after_taxes} after (${first.periods.length} priced periods)`)

  const seconds = parameters.quick ? 1 : 5
  for (let warm = 0; warm < 200; warm++) priceSession(tariff, session, context)
  const cpuBefore = process.cpuUsage()
  const startedAt = process.hrtime.bigint()
  const deadline = startedAt + BigInt(seconds * 1e9)
  let sessions = 0
  while (process.hrtime.bigint() < deadline) {
    for (let batch = 0; batch < 20; batch++) priceSession(tariff, session, context)
    sessions += 20
  }
  const elapsedNs = Number(process.hrtime.bigint() - startedAt)
  const cpu = process.cpuUsage(cpuBefore)
  const sessionsPerSecond = Math.round(sessions / (elapsedNs / 1e9))
  const microsecondsPerSession = Math.round((elapsedNs / 1e3 / sessions) * 10) / 10
  const cpuMicrosecondsPerSession = Math.round(((cpu.user + cpu.system) / sessions) * 10) / 10
  const row = {
    name: `tariff engine: ${PERIODS}-period session, tariff_4_complex`,
    requests_per_second: sessionsPerSecond,
    samples: sessions,
    note: `${microsecondsPerSession} µs/session (CPU ${cpuMicrosecondsPerSession}), ${microsecondsPerSession}x the 1 µs reference`,
    sessions_per_second: sessionsPerSecond,
    microseconds_per_session: microsecondsPerSession,
    cpu_microseconds_per_session: cpuMicrosecondsPerSession,
    ratio_to_1us: microsecondsPerSession,
    priced_periods: first.periods.length,
    total_cost: first.total_cost,
  }
  return {
    rows: [row],
    figures: [`${sessionsPerSecond} sessions/s, ${microsecondsPerSession} µs per session (CPU ${cpuMicrosecondsPerSession} µs): ${microsecondsPerSession}x (by CPU time ${cpuMicrosecondsPerSession}x) the 1 µs of a pure Rust pricer`],
    parameters: { tariff: TARIFF, periods: PERIODS, period_seconds: PERIOD_SECONDS, time_zone: TIME_ZONE, seconds },
    // On a shared machine wall time follows everyone's load; CPU time per session much less: compare on that.
    load_average: os.loadavg().map((load) => Math.round(load * 100) / 100),
    cpu_ratio_to_1us: cpuMicrosecondsPerSession,
  }
}
