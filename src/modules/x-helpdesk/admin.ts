import { Hono } from 'hono'
import type { AdminEnv } from '../../admin/context'
import { partyQuery } from '../../admin/party-param'
import { parseWith } from '../../ocpi/body'
import { invalid, OcpiError } from '../../ocpi/errors'
import { readObjectBody } from '../../ocpi/object-body'
import { helpdeskBodyVersions, HelpdeskCommandType, helpdeskRequestSchemas, type HelpdeskCommandBody } from '../../ocpi/objects/helpdesk-command'
import { publicBase } from '../../ocpi/urls'
import { findHostedParty } from '../../peers/parties'
import { getPeer } from '../../peers/store'
import { sendCommand } from '../commands/send'
import { newCommandId } from '../commands/trackers'
import { X_HELPDESK } from './module-id'

/**
 * eMSP side: `POST /admin/v1/commands/{peer_id}/x-helpdesk/{RESET|UNLOCK}` sends a helpdesk command of a hosted eMSP
 * to a CPO peer that agreed to x-helpdesk; it is then followed like any command (`GET /admin/v1/commands/{id}`).
 */
export const admin = new Hono<AdminEnv>()
  .post(`/commands/:peer_id/${X_HELPDESK}/:command`, async (c) => {
    const command = parseWith(HelpdeskCommandType, c.req.param('command'))
    const peer = await getPeer(c.get('db'), c.req.param('peer_id'))
    if (!peer) throw OcpiError.unknownObject(`peer ${c.req.param('peer_id')}`)
    const fields = parseWith(helpdeskRequestSchemas[command], await readObjectBody(c))
    if (!(await findHostedParty(c.get('db'), fields, 'EMSP'))) throw invalid('party_id', `${fields.country_code}*${fields.party_id} is not an eMSP hosted here`)
    const id = newCommandId()
    const request = { ...fields, response_url: `${publicBase(c.env)}/ocpi/${peer.version}/sender/${X_HELPDESK}/${command}/${id}` } as HelpdeskCommandBody
    const from = { country_code: fields.country_code.toUpperCase(), party_id: fields.party_id.toUpperCase() }
    const sent = await sendCommand(c.env, c.get('db'), peer, {
      id, command, request, from, to: partyQuery(c.req.query('to')), module: { id: X_HELPDESK, adapters: helpdeskBodyVersions(command) },
    })
    return c.json({ command_id: id, state: sent.state, ...(sent.response && { response: sent.response }) }, 202)
  })
