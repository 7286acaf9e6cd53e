import { Hono } from 'hono'
import type { OcpiEnv } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { readObjectBody } from '../../ocpi/object-body'
import { CommandType, type CommandResponse } from '../../ocpi/objects/command'
import { commandBodyVersions, commandResponseVersions } from '../../ocpi/objects/version-maps'
import { fromWire, hasVersion, toWire } from '../../ocpi/version-adapters'
import { addressedParty, ownerOfBody } from '../../peers/routing'
import { getPeer } from '../../peers/store'
import { assertResponseUrlOfPeer, refusal } from './admission'
import { commandTimeoutSeconds } from './timeouts'
import { acceptReceivedCommand } from './accept-received'

/**
 * Commands Receiver interface (CPO): `POST {commands_endpoint_url}{command}`. The answer is the CPO's CommandResponse,
 * not the charge point's; an ACCEPTED command is handed to the charge point by its CommandTracker, which posts the
 * CommandResult to the response_url, or TIMEOUT when the charge point does not answer within `timeout`.
 */
export const receiver = new Hono<OcpiEnv>()
  .post('/:command', async (c) => {
    const timeout = commandTimeoutSeconds(c.env)
    const answer = (response: Omit<CommandResponse, 'timeout'>) => respond(c, toWire(commandResponseVersions, c.get('version'), { ...response, timeout }))
    const parsedType = CommandType.safeParse(c.req.param('command'))
    // 2.3.0 made CommandType an OpenEnum: a command this platform does not carry out is NOT_SUPPORTED, not an error.
    if (!parsedType.success) return answer({ result: 'NOT_SUPPORTED', message: [{ language: 'en', text: 'Command not supported' }] })
    const command = parsedType.data
    // 2.1.1 has no CANCEL_RESERVATION (mod_commands.md of 2.1.1, 4.2): a command of a later version is not supported.
    if (!hasVersion(commandBodyVersions(command), c.get('version'))) return answer({ result: 'NOT_SUPPORTED', message: [{ language: 'en', text: `Command not supported in OCPI ${c.get('version')}` }] })
    // A 2.1.1 token does not name its party: it is the eMSP peer's one party (docs/ocpi-2.1.1.md, "Negotiation").
    const body = fromWire(commandBodyVersions(command), c.get('version'), await readObjectBody(c), ownerOfBody(c, 'EMSP'))
    assertResponseUrlOfPeer(await getPeer(c.get('db'), c.get('peer').id), body.response_url)
    const cpo = await addressedParty(c, 'CPO')
    const refused = await refusal(c, cpo, command, body)
    if (refused) return answer(refused)
    await acceptReceivedCommand(c, command, body, cpo, timeout)
    return answer({ result: 'ACCEPTED' })
  })
