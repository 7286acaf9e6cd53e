import type { Env } from '../../env'

/**
 * SIMULATOR_SPEED: how much faster than real time the built-in charge points run (1 = real time). It divides their
 * answer time and their meter interval, and multiplies the energy each interval delivers, so a session reads the same
 * at any speed.
 */
export function simulatorSpeed(env: Pick<Env, 'SIMULATOR_SPEED'>): number {
  const speed = Number(env.SIMULATOR_SPEED)
  return Number.isFinite(speed) && speed > 0 ? speed : 1
}

/** Real time between two meter values of a simulated session. */
export const meterIntervalMs = (env: Pick<Env, 'SIMULATOR_SPEED'>) => Math.max(200, Math.round(60_000 / simulatorSpeed(env)))

/** The power a simulated charge point delivers, kW. */
export const SIMULATED_POWER_KW = 11
