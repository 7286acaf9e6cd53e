import type { Env } from '../../env'

type Settings = Pick<Env, 'COMMAND_TIMEOUT_SECONDS' | 'COMMAND_RESULT_MARGIN_SECONDS'>

/** The `timeout` a hosted CPO announces in its CommandResponse: how long the charge point gets. */
export const commandTimeoutSeconds = (env: Settings) => positive(env.COMMAND_TIMEOUT_SECONDS, 30)

/** eMSP side: how much longer than the CPO's announced timeout we wait for a result before calling it TIMEOUT. */
export const resultMarginMs = (env: Settings) => positive(env.COMMAND_RESULT_MARGIN_SECONDS, 10) * 1000

/** A CPO's announced timeout is capped, so a peer cannot keep a command open for ever. */
export const MAX_PEER_TIMEOUT_SECONDS = 24 * 3600

function positive(value: string | undefined, fallback: number): number {
  const parsed = Number(value)
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback
}
