import { Hono } from 'hono'
import type { OcpiEnv } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { invalid } from '../../ocpi/errors'
import { readBody } from '../../ocpi/body'
import { assertPeerRepresents } from '../../peers/routing'
import { acceptPartyMove } from './move'
import { PartyMove } from './schema'

/**
 * x-token-migration, RECEIVER interface: served by a CPO platform. The new platform announces that it now serves a
 * party; it must already list the party in its credentials roles (its credentials PUT comes first), so a peer can only
 * ever claim a party the CPO already routes to it.
 */
export const receiver = new Hono<OcpiEnv>()
  .put('/:country_code/:party_id', async (c) => {
    const move = await readBody(c, PartyMove)
    for (const field of ['country_code', 'party_id'] as const) {
      if (move[field].toUpperCase() !== c.req.param(field).toUpperCase()) throw invalid(field, `${move[field]} differs from the URL's ${c.req.param(field)}`)
    }
    assertPeerRepresents(c, move)
    return respond(c, await acceptPartyMove(c.env, c.get('db'), c.get('peer').id, move))
  })
