import type { Context } from 'hono'
import type { Database } from '../../db/client'
import type { OcpiEnv, PartyRef } from '../../ocpi/context'
import { invalid } from '../../ocpi/errors'
import type { CommandBodies, CommandResponse, CommandType } from '../../ocpi/objects/command'
import type { Location } from '../../ocpi/objects/location'
import { isVisible, type Viewer } from '../../ocpi/objects/sharing-policy'
import { peerRepresents } from '../../peers/routing'
import type { Peer } from '../../peers/store'
import { findConnector, findEvse } from '../locations/merge'
import { partyViews } from '../locations/policy-store'
import { getLocation, OWN_SOURCE } from '../locations/store'
import { getOwnSession } from '../sessions/store'

// Who may have a hosted CPO's charge points do what (docs/commands.md, "Trust"). Commands are the most dangerous thing
// a peer can send, so each is checked before it reaches a charge point; a refusal is a CommandResponse, not an error.

const refused = (result: CommandResponse['result'], text: string): Omit<CommandResponse, 'timeout'> => ({ result, message: [{ language: 'en', text }] })

/** Undefined when the command may go to the charge point; otherwise the CommandResponse that refuses it. */
export async function refusal<C extends CommandType>(c: Context<OcpiEnv>, cpo: PartyRef, command: C, body: CommandBodies[C]): Promise<Omit<CommandResponse, 'timeout'> | undefined> {
  const request = body as CommandBodies[CommandType]
  // StartSession/ReserveNow: "An eMSP sending a StartSession SHALL only use Token that are owned by this eMSP".
  if ('token' in request && !peerRepresents(c, { country_code: request.token.country_code, party_id: request.token.party_id }, 'EMSP')) {
    return refused('REJECTED', 'The token belongs to an eMSP this peer does not represent')
  }
  if (!c.get('peer').roles.some((role) => role.role === 'EMSP' || role.role === 'HUB')) return refused('REJECTED', 'Commands are taken from eMSPs only')
  if (command === 'STOP_SESSION') {
    const stored = await getOwnSession(c.get('db'), { ...cpo, id: (request as CommandBodies['STOP_SESSION']).session_id })
    // A session of another eMSP is answered as unknown: its existence is not this peer's business.
    if (!stored || !peerRepresents(c, stored.session.cdr_token, 'EMSP')) return refused('UNKNOWN_SESSION', 'Unknown session')
    if (stored.session.status !== 'ACTIVE' && stored.session.status !== 'PENDING') return refused('REJECTED', `The session is ${stored.session.status}`)
    return undefined
  }
  if ('location_id' in request) {
    const location = await visibleOwnLocation(c.get('db'), c.get('peer'), cpo, request.location_id)
    if (!location) return refused('REJECTED', 'Unknown location')
    const evse = request.evse_uid === undefined ? undefined : findEvse(location, request.evse_uid)
    if (request.evse_uid !== undefined && !evse) return refused('REJECTED', 'Unknown EVSE')
    if (command === 'START_SESSION' && evse && 'connector_id' in request && request.connector_id !== undefined && !findConnector(evse, request.connector_id)) {
      return refused('REJECTED', 'Unknown connector')
    }
  }
  return undefined
}

/** The hosted CPO's location, when the peer's sharing policy lets it see it; a hidden one is as unknown. */
export async function visibleOwnLocation(db: Database, peer: Viewer, cpo: PartyRef, locationId: string): Promise<Location | undefined> {
  const [stored, [view]] = await Promise.all([getLocation(db, OWN_SOURCE, cpo, locationId), partyViews(db, peer, [cpo])])
  return stored && view && isVisible(view.visibility, stored.location) ? stored.location : undefined
}

/**
 * The response_url receives our credentials token with the result, so it must be on a host the peer lists its own
 * endpoints at (or its versions URL): a peer cannot make us post our token to a third party.
 */
export function assertResponseUrlOfPeer(peer: Peer | undefined, responseUrl: string) {
  if (!peer) throw invalid('response_url', 'unknown peer')
  const origins = new Set([peer.versions_url, ...peer.endpoints.map((endpoint) => endpoint.url)].flatMap((url) => (url && URL.canParse(url) ? [new URL(url).origin] : [])))
  if (!origins.has(new URL(responseUrl).origin)) throw invalid('response_url', 'must be on a host this peer lists its OCPI endpoints at')
}
