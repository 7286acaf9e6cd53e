import { Hono } from 'hono'
import { z } from 'zod'
import type { AdminEnv } from '../../admin/context'
import { partyQuery } from '../../admin/party-param'
import { parseWith } from '../../ocpi/body'
import { OcpiError, invalid } from '../../ocpi/errors'
import { readObjectBody } from '../../ocpi/object-body'
import { CommandResult, CommandType, commandRequestSchemas, type CommandBody } from '../../ocpi/objects/command'
import { commandBodyVersions } from '../../ocpi/objects/version-maps'
import { respondAdminPage } from '../../ocpi/page-response'
import { parsePageQuery } from '../../ocpi/paging'
import { publicBase } from '../../ocpi/urls'
import { findHostedParty } from '../../peers/parties'
import { getPeer } from '../../peers/store'
import { DateTime, toEpochMs } from '../../ocpi/types'
import { Session } from '../../ocpi/objects/session'
import { chargingSession } from './live-sessions'
import { pricingBasis } from './pricing'
import { findConnector, findEvse } from '../locations/merge'
import { getLocation, OWN_SOURCE } from '../locations/store'
import { sendCommand } from './send'
import { listCommands } from './store'
import { commandTracker, isCommandId, newCommandId } from './trackers'

const MeterValue = z.object({ timestamp: DateTime, kwh: z.number().min(0) })

/**
 * Management routes of commands (docs/commands.md): as eMSP, send a command to a CPO peer and follow it; as CPO, the
 * callbacks of the operator's CSMS (docs/csms-webhook.md).
 */
export const admin = new Hono<AdminEnv>()
  .post('/commands/:peer_id/:command', async (c) => {
    const command = parseWith(CommandType, c.req.param('command'))
    const peer = await getPeer(c.get('db'), c.req.param('peer_id'))
    if (!peer) throw OcpiError.unknownObject(`peer ${c.req.param('peer_id')}`)
    const fields = parseWith(commandRequestSchemas[command], await readObjectBody(c))
    const id = newCommandId()
    const request = { ...fields, response_url: `${publicBase(c.env)}/ocpi/${peer.version}/sender/commands/${command}/${id}` } as CommandBody
    // Only our own eMSPs' tokens: "An eMSP sending a StartSession SHALL only use Token that are owned by this eMSP".
    const token = 'token' in request ? request.token : undefined
    if (token && !(await findHostedParty(c.get('db'), token, 'EMSP'))) throw invalid('token.party_id', `${token.country_code}*${token.party_id} is not an eMSP hosted here`)
    parseWith(commandBodyVersions(command)[peer.version === '2.2.1' ? '2.2.1' : '2.3.0'].schema, request) // what the peer's version can carry (2.2.1 has no EMAID token)
    const from = token ? { country_code: token.country_code.toUpperCase(), party_id: token.party_id.toUpperCase() } : partyQuery(c.req.query('from'))
    const sent = await sendCommand(c.env, c.get('db'), peer, { id, command, request, from, to: partyQuery(c.req.query('to')) })
    return c.json({ command_id: id, state: sent.state, ...(sent.response && { response: sent.response }) }, 202)
  })
  .get('/commands', async (c) => {
    const page = parsePageQuery(c)
    return respondAdminPage(c, page, await listCommands(c.get('db'), page))
  })
  .get('/commands/:command_id', async (c) => {
    const id = c.req.param('command_id')
    const view = isCommandId(id) ? await commandTracker(c.env, id).view() : null
    if (!view) throw OcpiError.unknownObject(`command ${id}`)
    return c.json(view)
  })
  .post('/csms/commands/:command_id/result', async (c) => {
    const result = parseWith(CommandResult, await readObjectBody(c))
    const id = c.req.param('command_id')
    const outcome = isCommandId(id) ? await commandTracker(c.env, id).chargePointResult(result, { from: 'csms' }) : 'unknown'
    if (outcome === 'unknown') throw OcpiError.unknownObject(`command ${id}`)
    return c.json({ outcome })
  })
  .post('/csms/sessions/:country_code/:party_id/:session_id/start', async (c) => {
    const ref = sessionRef(c.req.param())
    if (!(await findHostedParty(c.get('db'), ref, 'CPO'))) throw OcpiError.unknownObject(`CPO ${ref.country_code}*${ref.party_id}`)
    const body = parseWith(Session.partial({ country_code: true, party_id: true, id: true, last_updated: true }), await readObjectBody(c))
    const session: Session = { ...body, country_code: ref.country_code, party_id: ref.party_id, id: ref.id, last_updated: body.last_updated ?? new Date().toISOString() }
    const location = (await getLocation(c.get('db'), OWN_SOURCE, ref, session.location_id))?.location
    const evse = location && findEvse(location, session.evse_uid)
    const connector = evse && findConnector(evse, session.connector_id)
    const pricing = location && connector ? await pricingBasis(c.get('db'), location, connector) : undefined
    const started = await chargingSession(c.env, ref).start({ session, pricing, simulated: false })
    if (!started) throw new OcpiError(2001, `Session ${ref.id} is already live`, { http_status: 409, path: 'id' })
    return c.json(session, 201)
  })
  .post('/csms/sessions/:country_code/:party_id/:session_id/meter', async (c) => {
    const value = parseWith(MeterValue, await readObjectBody(c))
    const outcome = await chargingSession(c.env, sessionRef(c.req.param())).meter({ at: toEpochMs(value.timestamp), kwh: value.kwh })
    if (outcome === 'unknown') throw OcpiError.unknownObject(`live session ${c.req.param('session_id')}`)
    return c.json({ outcome })
  })
  .post('/csms/sessions/:country_code/:party_id/:session_id/stop', async (c) => {
    const body = parseWith(z.object({ timestamp: DateTime.optional() }), await readObjectBody(c))
    const stopped = await chargingSession(c.env, sessionRef(c.req.param())).stop({ reason: 'CSMS', at: body.timestamp ? toEpochMs(body.timestamp) : undefined })
    if (!stopped) throw OcpiError.unknownObject(`live session ${c.req.param('session_id')}`)
    return c.json({ stopped })
  })
  .get('/live-sessions/:country_code/:party_id/:session_id', async (c) => {
    const live = await chargingSession(c.env, sessionRef(c.req.param())).live()
    if (!live) throw OcpiError.unknownObject(`live session ${c.req.param('session_id')}`)
    return c.json(live)
  })

const sessionRef = (param: { country_code: string; party_id: string; session_id: string }) => ({ country_code: param.country_code.toUpperCase(), party_id: param.party_id.toUpperCase(), id: param.session_id })
