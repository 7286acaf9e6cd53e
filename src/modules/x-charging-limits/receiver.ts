import { Hono, type Context } from 'hono'
import type { OcpiEnv } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { OcpiError, invalid } from '../../ocpi/errors'
import { readObjectBody } from '../../ocpi/object-body'
import { parseWith } from '../../ocpi/body'
import { peerRepresents } from '../../peers/routing'
import { ChargingLimits, currencyMismatch } from '../commands/limits'
import { chargingSession } from '../commands/live-sessions'
import { getOwnSession } from '../sessions/store'

/**
 * x-charging-limits Receiver interface (CPO, docs/extensions/x-charging-limits.md): the eMSP of a live session's token
 * sets its limits (PUT) and reads them with the session's live state and why it stopped (GET). A session of another
 * eMSP is as unknown (2003, HTTP 404).
 */
export const receiver = new Hono<OcpiEnv>()
  .get('/:country_code/:party_id/:session_id', async (c) => {
    const ref = await ownedSession(c)
    const live = await chargingSession(c.env, ref).live()
    if (!live) throw OcpiError.unknownObject('live session')
    return respond(c, { limits: live.limits ?? {}, kwh: live.kwh, status: live.stopped ? 'STOPPED' : 'CHARGING', ...(live.stop_reason && { stopped_by: live.stop_reason }) })
  })
  .put('/:country_code/:party_id/:session_id', async (c) => {
    const ref = await ownedSession(c)
    const limits = parseWith(ChargingLimits, await readObjectBody(c))
    if (currencyMismatch(limits, ref.currency)) throw invalid('max_cost.currency', `must be the session's currency, ${ref.currency}`)
    if (!(await chargingSession(c.env, ref).setLimits(limits))) throw new OcpiError(2003, 'The session is not charging any more')
    return respond(c, limits)
  })

async function ownedSession(c: Context<OcpiEnv>) {
  const ref = { country_code: c.req.param('country_code')!.toUpperCase(), party_id: c.req.param('party_id')!.toUpperCase(), id: c.req.param('session_id')! }
  const stored = await getOwnSession(c.get('db'), ref)
  if (!stored || !peerRepresents(c, stored.session.cdr_token, 'EMSP')) throw OcpiError.unknownObject('session')
  return { ...ref, currency: stored.session.currency }
}
