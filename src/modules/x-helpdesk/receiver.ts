import { Hono } from 'hono'
import type { OcpiEnv } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { readObjectBody } from '../../ocpi/object-body'
import { type CommandResponse } from '../../ocpi/objects/command'
import { commandResponseVersions } from '../../ocpi/objects/version-maps'
import { helpdeskBodyVersions, HelpdeskCommandType } from '../../ocpi/objects/helpdesk-command'
import { fromWire, toWire } from '../../ocpi/version-adapters'
import { addressedParty } from '../../peers/routing'
import { getPeer } from '../../peers/store'
import { assertResponseUrlOfPeer } from '../commands/admission'
import { commandTimeoutSeconds } from '../commands/timeouts'
import { acceptReceivedCommand } from '../commands/accept-received'
import { helpdeskRefusal } from './admission'

/**
 * x-helpdesk Receiver interface (CPO): `POST {endpoint}/{command}`, as mod_commands' Receiver: a CommandResponse now,
 * the CommandResult at the response_url later, posted by the command's CommandTracker once the charge point (simulator
 * or CSMS) answered, or TIMEOUT.
 */
export const receiver = new Hono<OcpiEnv>()
  .post('/:command', async (c) => {
    const timeout = commandTimeoutSeconds(c.env)
    const answer = (response: Omit<CommandResponse, 'timeout'>) => respond(c, toWire(commandResponseVersions, c.get('version'), { ...response, timeout }))
    const parsedType = HelpdeskCommandType.safeParse(c.req.param('command'))
    if (!parsedType.success) return answer({ result: 'NOT_SUPPORTED', message: [{ language: 'en', text: 'Command not supported' }] })
    const command = parsedType.data
    const body = fromWire(helpdeskBodyVersions(command), c.get('version'), await readObjectBody(c))
    assertResponseUrlOfPeer(await getPeer(c.get('db'), c.get('peer').id), body.response_url)
    const cpo = await addressedParty(c, 'CPO')
    const refused = await helpdeskRefusal(c, cpo, body)
    if (refused) return answer(refused)
    await acceptReceivedCommand(c, command, body, cpo, timeout)
    return answer({ result: 'ACCEPTED' })
  })
