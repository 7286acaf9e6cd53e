import type { Env } from '../../env'
import { publicBase } from '../../ocpi/urls'
import { clientTimeout } from '../../peers/client'
import type { ChargePointOutcome } from './charge-point'
import type { TrackedCommand } from './tracked'

/** What we POST to CSMS_WEBHOOK_URL for each command a hosted CPO accepted (docs/csms-webhook.md). */
export interface CsmsCommand {
  command_id: string
  command: string
  cpo: { country_code: string; party_id: string }
  /** The command object without response_url: the CSMS answers us, never the eMSP. */
  request: Record<string, unknown>
  /** Epoch seconds after which the eMSP is told TIMEOUT. */
  deadline: number
  /** Where the CSMS posts the CommandResult (management API, admin token). */
  result_url: string
}

/**
 * Forwards a command to the operator's CSMS. A 2xx means it took the command and will post the result to `result_url`;
 * anything else, or no answer, means the charge point cannot be reached: FAILED.
 */
export async function sendToCsms(env: Env, webhookUrl: string, command: TrackedCommand): Promise<ChargePointOutcome | undefined> {
  const { response_url: _responseUrl, ...request } = command.request
  const body: CsmsCommand = {
    command_id: command.id, command: command.command, cpo: command.cpo!, request,
    deadline: Math.floor((command.deadline ?? Date.now()) / 1000), result_url: `${publicBase(env)}/admin/v1/csms/commands/${command.id}/result`,
  }
  const headers = new Headers({ 'Content-Type': 'application/json' })
  if (env.CSMS_WEBHOOK_TOKEN) headers.set('Authorization', `Bearer ${env.CSMS_WEBHOOK_TOKEN}`)
  try {
    const response = await fetch(webhookUrl, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(clientTimeout(env)) })
    await response.body?.cancel()
    if (response.ok) return undefined
    return { result: { result: 'FAILED', message: [{ language: 'en', text: 'The charge point could not be reached' }] }, detail: { csms_http_status: response.status } }
  } catch (error) {
    return { result: { result: 'FAILED', message: [{ language: 'en', text: 'The charge point could not be reached' }] }, detail: { csms_error: error instanceof Error ? error.name : 'error' } }
  }
}
