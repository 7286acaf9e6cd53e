import { Hono } from 'hono'
import type { OcpiEnv } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { OcpiError } from '../../ocpi/errors'
import { readObjectBody } from '../../ocpi/object-body'
import { commandResultVersions } from '../../ocpi/objects/version-maps'
import { fromWire } from '../../ocpi/version-adapters'
import { logError } from '../../ocpi/log'
import { commandTracker, isCommandId } from './trackers'

/**
 * Commands Sender interface (eMSP): the response_url we generate, `{commands_endpoint_url}{command}/{command_id}`, where
 * the CPO posts the CommandResult. Only the peer the command went to may post it, once; a second or a late result is
 * accepted and written to the command's history without changing it (docs/commands.md, "History"). An id we never
 * generated, or one posted by another peer, is an unknown object (status_codes, 2003).
 */
export const resultSender = (label: string) => new Hono<OcpiEnv>()
  .post('/:command/:command_id', async (c) => {
    const result = fromWire(commandResultVersions, c.get('version'), await readObjectBody(c))
    const id = c.req.param('command_id')
    const outcome = isCommandId(id) ? await commandTracker(c.env, id).receiveResult(c.get('peer').id, c.req.param('command'), result) : 'unknown'
    if (outcome === 'unknown') {
      logError(`${label} refused: unknown command id from peer ${c.get('peer').id} (${c.req.param('command').slice(0, 32)})`)
      throw OcpiError.unknownObject('command')
    }
    if (outcome !== 'recorded') logError(`${label} ${outcome} for command ${id} from peer ${c.get('peer').id}: kept in its history only`)
    return respond(c, undefined)
  })
