import type { Context } from 'hono'
import type { OcpiEnv, PartyRef } from '../../ocpi/context'
import { chargePointDelayMs } from './charge-point'
import type { TrackedCommand } from './tracked'
import { commandTracker, newCommandId } from './trackers'

/**
 * A command a hosted CPO admitted (OCPI or x-helpdesk): opened in its own CommandTracker as ACCEPTED, with the
 * CommandResponse in its history, handed to the charge point after its answer delay, TIMEOUT at the deadline.
 */
export async function acceptReceivedCommand(
  c: Context<OcpiEnv>, command: TrackedCommand['command'], request: TrackedCommand['request'], cpo: PartyRef, timeout: number,
): Promise<void> {
  const now = Date.now()
  const id = newCommandId()
  await commandTracker(c.env, id).open({
    id, side: 'received', peer_id: c.get('peer').id, version: c.get('version'), command, request,
    cpo: { country_code: cpo.country_code, party_id: cpo.party_id }, state: 'ACCEPTED', final: false,
    deadline: now + timeout * 1000, created_at: now, last_updated: now,
  }, 'response', { response: { result: 'ACCEPTED', timeout } }, now + chargePointDelayMs(c.env))
}
