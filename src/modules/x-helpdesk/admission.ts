import type { Context } from 'hono'
import type { OcpiEnv, PartyRef } from '../../ocpi/context'
import type { CommandResponse } from '../../ocpi/objects/command'
import type { HelpdeskCommandBody } from '../../ocpi/objects/helpdesk-command'
import { peerRepresents } from '../../peers/routing'
import { visibleOwnLocation } from '../commands/admission'
import { findConnector, findEvse } from '../locations/merge'

// Who may have a hosted CPO's charge point reset or unlocked by a helpdesk (docs/extensions/x-helpdesk.md, "Trust"): the
// same checks as mod_commands' before anything reaches a charge point; a refusal is a CommandResponse, not an error.

const refused = (text: string): Omit<CommandResponse, 'timeout'> => ({ result: 'REJECTED', message: [{ language: 'en', text }] })

/** Undefined when the command may go to the charge point; otherwise the CommandResponse that refuses it. */
export async function helpdeskRefusal(c: Context<OcpiEnv>, cpo: PartyRef, request: HelpdeskCommandBody): Promise<Omit<CommandResponse, 'timeout'> | undefined> {
  // Only an eMSP the peer holds (a hub routes for many), for its own helpdesk.
  if (!peerRepresents(c, { country_code: request.country_code, party_id: request.party_id }, 'EMSP')) {
    return refused('The helpdesk\'s party is not an eMSP this peer represents')
  }
  // A location the CPO's sharing policy hides from the peer is answered exactly like an unknown one.
  const location = await visibleOwnLocation(c.get('db'), c.get('peer'), cpo, request.location_id)
  if (!location) return refused('Unknown location')
  const evse = findEvse(location, request.evse_uid)
  if (!evse) return refused('Unknown EVSE')
  if ('connector_id' in request && !findConnector(evse, request.connector_id)) return refused('Unknown connector')
  return undefined
}
