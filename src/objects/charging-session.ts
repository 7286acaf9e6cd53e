import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'
import type { Session } from '../ocpi/objects/session'
import type { ChargingPeriod } from '../ocpi/objects/cdr'
import { writeFinishedSession, writeSessionChange, writeStartedSession } from '../modules/commands/live-sessions'
import { chargingPeriods, deliveredKwh, fitsReadings, type MeterReading } from '../modules/commands/meter'
import { priceCharging, type PricingBasis } from '../modules/commands/pricing'
import { limitedReading, limitReached, limitTime, type ChargingLimits } from '../modules/commands/limits'
import { meterIntervalMs, SIMULATED_POWER_KW, simulatorSpeed } from '../modules/commands/simulator-settings'

interface LiveState {
  session: Session
  command_id?: string
  /** Meter values come from the built-in simulator on this object's alarm, or from the CSMS. */
  simulated: boolean
  stopped: boolean
  stop_reason?: string
  limits?: ChargingLimits
  /** The tariff and time zone the live cost and the CDR are priced with (free without a tariff). */
  pricing: PricingBasis
  /** The booking the session fulfilled (mod_bookings), named by its CDR. */
  booking_id?: string
}

export interface LiveView { session: Session; kwh: number; power_kw: number; readings: number; stopped: boolean; stop_reason?: string; limits?: ChargingLimits }

/**
 * One instance per live session of a hosted CPO (named by country_code*party_id*session_id): the meter readings, the
 * session as last written, and, for a simulated charge point, an alarm that reads the meter on a schedule. Every change
 * is written through the sessions store and pushed to the token's eMSP by the outbox.
 */
export class ChargingSession extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS live (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL)')
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS readings (at INTEGER PRIMARY KEY, kwh REAL NOT NULL)')
  }

  async start(init: { session: Session; pricing?: PricingBasis; command_id?: string; simulated?: boolean }): Promise<boolean> {
    if (this.#state()) return false
    const started = Date.parse(init.session.start_date_time)
    const pricing = init.pricing ?? { time_zone: 'UTC' }
    this.#save({ session: init.session, command_id: init.command_id, simulated: init.simulated ?? true, stopped: false, pricing })
    // A real meter's register does not start at 0: a CSMS's first reading is the baseline the energy is counted from.
    if (init.simulated ?? true) this.ctx.storage.sql.exec('INSERT OR IGNORE INTO readings (at, kwh) VALUES (?, 0)', started)
    const bookingId = await writeStartedSession(this.env, init.session)
    if (bookingId) this.#save({ ...this.#state()!, booking_id: bookingId })
    if (init.simulated ?? true) await this.ctx.storage.setAlarm(Date.now() + meterIntervalMs(this.env))
    return true
  }

  /**
   * A meter value. One already held (same timestamp), one that would run the meter backwards, or any after the stop
   * changes nothing; the session is rewritten from all readings, so their arrival order does not matter.
   */
  async meter(reading: MeterReading): Promise<'recorded' | 'ignored' | 'unknown'> {
    const state = this.#state()
    if (!state) return 'unknown'
    const readings = this.#readings()
    if (state.stopped || readings.some((held) => held.at === reading.at) || !fitsReadings(readings, reading)) return 'ignored'
    this.ctx.storage.sql.exec('INSERT INTO readings (at, kwh) VALUES (?, ?)', reading.at, reading.kwh)
    // A CSMS's charge point is not ours to hold back: the session ends at the first reading that reaches a limit.
    const reached = state.limits && limitReached(this.#readings(), state.limits, Date.parse(state.session.start_date_time))
    if (reached) {
      await this.#finish(state, reached, this.#readings().at(-1)!.at)
      return 'recorded'
    }
    await this.#writeProgress(state)
    return 'recorded'
  }

  /** Stops charging (STOP_SESSION, a limit, the CSMS): the last reading closes the session and its CDR is sent. */
  async stop(options: { reason: string; at?: number }): Promise<boolean> {
    const state = this.#state()
    if (!state || state.stopped) return false
    const at = options.at ?? Date.now()
    const limited = state.simulated ? this.#simulateReading(state, at) : undefined
    return this.#finish(state, limited?.reason ?? options.reason, limited?.at ?? at)
  }

  /**
   * Sets the limits of a live session, checked from the next meter reading on; the simulated charge point is woken at
   * a time limit. Returns false when the session is not live (unknown or stopped).
   */
  async setLimits(limits: ChargingLimits): Promise<boolean> {
    const state = this.#state()
    if (!state || state.stopped) return false
    this.#save({ ...state, limits })
    if (state.simulated) await this.#scheduleTick({ ...state, limits })
    return true
  }

  live(): LiveView | null {
    const state = this.#state()
    if (!state) return null
    const readings = this.#readings()
    return {
      session: state.session, kwh: deliveredKwh(readings), power_kw: this.#power(readings), readings: readings.length,
      stopped: state.stopped, stop_reason: state.stop_reason, limits: state.limits,
    }
  }

  override async alarm(): Promise<void> {
    const state = this.#state()
    if (!state || state.stopped || !state.simulated) return
    const limited = this.#simulateReading(state, Date.now())
    if (limited?.reason) {
      await this.#finish(state, limited.reason, limited.at)
      return
    }
    await this.#writeProgress(state)
    await this.#scheduleTick(state)
  }

  /** The next meter reading, or the end of the session at a time limit, whichever comes first. */
  async #scheduleTick(state: LiveState) {
    const time = state.limits && limitTime(state.limits, Date.parse(state.session.start_date_time))
    await this.ctx.storage.setAlarm(Math.max(Date.now(), Math.min(Date.now() + meterIntervalMs(this.env), time?.at ?? Infinity)))
  }

  /**
   * The simulated meter: constant power, time running SIMULATOR_SPEED times faster than the clock. A charge point the
   * platform controls stops at a limit, so the reading never passes one; returns the limit reached, if any.
   */
  #simulateReading(state: LiveState, now: number): { at: number; reason?: string } | undefined {
    const readings = this.#readings()
    const last = readings.at(-1)
    if (!last || now <= last.at) return undefined
    const kwh = last.kwh + (SIMULATED_POWER_KW * (now - last.at) * simulatorSpeed(this.env)) / 3_600_000
    const next = { at: now, kwh: Math.round(kwh * 1000) / 1000 }
    const { reading, reason } = state.limits
      ? limitedReading(readings, next, state.limits, Date.parse(state.session.start_date_time), (periods) => this.#cost(state, periods, next.at).total_cost)
      : { reading: next, reason: undefined }
    if (reading.at > last.at) this.ctx.storage.sql.exec('INSERT OR IGNORE INTO readings (at, kwh) VALUES (?, ?)', reading.at, reading.kwh)
    return { at: Math.max(reading.at, last.at), reason }
  }

  async #finish(state: LiveState, reason: string, at: number): Promise<boolean> {
    this.#save({ ...state, stopped: true, stop_reason: reason })
    await this.ctx.storage.deleteAlarm()
    const readings = this.#readings()
    const periods = chargingPeriods(readings)
    await writeFinishedSession(this.env, state.session, periods, deliveredKwh(readings), at, this.#cost(state, periods, at), state.pricing.tariff, reason, state.booking_id)
    return true
  }

  async #writeProgress(state: LiveState) {
    const readings = this.#readings()
    const periods = chargingPeriods(readings)
    const session = await writeSessionChange(this.env, state.session, {
      kwh: deliveredKwh(readings), charging_periods: periods, total_cost: this.#cost(state, periods, readings.at(-1)!.at).total_cost,
    })
    this.#save({ ...state, session })
  }

  #cost(state: LiveState, periods: ChargingPeriod[], until: number) {
    return priceCharging(state.pricing, { start_date_time: state.session.start_date_time, end_date_time: new Date(until).toISOString(), charging_periods: periods })
  }

  #power(readings: MeterReading[]): number {
    const [previous, last] = readings.slice(-2)
    if (!previous || !last || last.at === previous.at) return 0
    return Math.round(((last.kwh - previous.kwh) * 3_600_000) / (last.at - previous.at) * 1000) / 1000
  }

  #readings(): MeterReading[] {
    return this.ctx.storage.sql.exec<{ at: number; kwh: number }>('SELECT at, kwh FROM readings ORDER BY at').toArray().map((row) => ({ at: row.at, kwh: row.kwh }))
  }

  #state(): LiveState | undefined {
    const row = this.ctx.storage.sql.exec<{ body: string }>('SELECT body FROM live WHERE id = 1').toArray()[0]
    return row && (JSON.parse(row.body) as LiveState)
  }

  #save(state: LiveState) {
    this.ctx.storage.sql.exec('INSERT INTO live (id, body) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body', JSON.stringify(state))
  }
}
