import type { Env } from '../../env'
import type { CommandResult } from '../../ocpi/objects/command'
import { sendToCsms } from './csms-webhook'
import { releaseExpiredReservation, simulate } from './simulator'
import { simulatorSpeed } from './simulator-settings'
import type { TrackedCommand } from './tracked'

/** What a charge point answered, with what the history should keep of it (a started session's id...). */
export interface ChargePointOutcome { result: CommandResult; detail?: Record<string, unknown> }

/**
 * Hands a received command to the hosted CPO's charge points: the operator's CSMS when CSMS_WEBHOOK_URL is set
 * (docs/csms-webhook.md; its result comes later through the callback, so nothing is returned), else the built-in
 * charge point simulator, which answers at once.
 */
export async function carryOut(env: Env, command: TrackedCommand): Promise<ChargePointOutcome | undefined> {
  if (env.CSMS_WEBHOOK_URL) return sendToCsms(env, env.CSMS_WEBHOOK_URL, command)
  return simulate(env, command)
}

/** How long after the CommandResponse the charge point is asked: the simulator's answer time, else at once. */
export function chargePointDelayMs(env: Env): number {
  return env.CSMS_WEBHOOK_URL ? 0 : Math.round(1000 / simulatorSpeed(env))
}

/** At a reservation's expiry_date: its EVSE is free again, unless the reservation was cancelled or replaced. */
export function releaseReservation(env: Env, command: TrackedCommand): Promise<boolean> {
  return releaseExpiredReservation(env, command)
}
