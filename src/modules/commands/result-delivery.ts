import { databaseFor } from '../../db/shards'
import type { Env } from '../../env'
import { toWire } from '../../ocpi/version-adapters'
import { clientTimeout, OcpiClientError, ocpiRequest } from '../../peers/client'
import { getPeer } from '../../peers/store'
import { routingOf } from '../../peers/hub-routing'
import { commandResultVersions } from '../../ocpi/objects/version-maps'
import type { TrackedCommand } from './tracked'

const MAX_DELIVERY_ATTEMPTS = 5

/**
 * Posts a received command's CommandResult to the response_url the eMSP gave (mod_commands, Sender interface). The URL
 * was checked, when the command came in, to be on a host the peer lists its endpoints at, so our token goes nowhere
 * else. Returns why it failed, or undefined when the eMSP took it.
 */
export async function deliverResult(env: Env, command: TrackedCommand): Promise<string | undefined> {
  const peer = await getPeer(databaseFor(env), command.peer_id)
  if (!peer?.outbound_token || peer.status !== 'CONNECTED') return `peer ${command.peer_id} is not connected`
  try {
    const response = await ocpiRequest({
      method: 'POST', url: command.request.response_url, token: peer.outbound_token, version: peer.version, timeoutMs: clientTimeout(env),
      body: toWire(commandResultVersions, command.version, command.result!),
      ...routingOf(peer, {
        module: 'commands', kind: 'push', from: command.cpo,
        to: emspOf(command),
      }),
    })
    return response.status_code === 1000 ? undefined : `status_code ${response.status_code}`
  } catch (error) {
    if (error instanceof OcpiClientError) return error.message
    throw error
  }
}

/** The eMSP the command came from, when it names one: the token's (mod_commands), or the helpdesk's party (x-helpdesk). */
function emspOf({ request }: TrackedCommand) {
  if ('token' in request) return { country_code: request.token.country_code, party_id: request.token.party_id }
  if ('party_id' in request) return { country_code: request.country_code, party_id: request.party_id }
  return undefined
}

/** Backoff before delivery attempt `attempts + 1`; undefined once we stop trying. */
export function resultDeliveryDelay(attempts: number): number | undefined {
  return attempts >= MAX_DELIVERY_ATTEMPTS ? undefined : 1000 * 2 ** attempts
}
