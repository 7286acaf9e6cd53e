import { Hono } from 'hono'
import type { OcpiEnv } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { OcpiError } from '../../ocpi/errors'
import { logError } from '../../ocpi/log'
import { readObjectBody } from '../../ocpi/object-body'
import { commandResultVersions } from '../../ocpi/objects/version-maps'
import { fromWire } from '../../ocpi/version-adapters'
import { commandTracker, isCommandId } from '../commands/trackers'

/**
 * x-helpdesk Sender interface (eMSP): the response_url we generate, `{endpoint}/{command}/{command_id}`, where the CPO
 * posts the CommandResult, with mod_commands' rules: only the peer the command went to, once; a repeated or late result
 * is kept in the history; an id we never generated, or another peer's, is 2003.
 */
export const sender = new Hono<OcpiEnv>()
  .post('/:command/:command_id', async (c) => {
    const result = fromWire(commandResultVersions, c.var.version, await readObjectBody(c))
    const id = c.req.param('command_id')
    const outcome = isCommandId(id) ? await commandTracker(c.env, id).receiveResult(c.var.peer.id, c.req.param('command'), result) : 'unknown'
    if (outcome === 'unknown') {
      logError(`x-helpdesk CommandResult refused: unknown command id from peer ${c.var.peer.id} (${c.req.param('command').slice(0, 32)})`)
      throw OcpiError.unknownObject('command')
    }
    if (outcome !== 'recorded') logError(`x-helpdesk CommandResult ${outcome} for command ${id} from peer ${c.var.peer.id}: kept in its history only`)
    return respond(c, undefined)
  })
