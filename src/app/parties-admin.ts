import { Hono } from 'hono'
import { z } from 'zod'
import { parseWith, readJson } from '../ocpi/body'
import { OcpiError } from '../ocpi/errors'
import { CountryCode, PartyId, Role } from '../ocpi/types'
import { BusinessDetails } from '../ocpi/objects/business-details'
import type { AdminEnv } from '../admin/context'
import { hostParty, listHostedParties } from '../peers/parties'
import { keepAliveOf } from '../ocpi/keep-alive'
import type { HostedParty } from '../peers/party-store'
import { publishRolesToPeers } from '../peers/registration'
import { logError } from '../ocpi/log'

const NewParty = z.object({ country_code: CountryCode, party_id: PartyId, role: Role, business_details: BusinessDetails })

export const partiesAdmin = new Hono<AdminEnv>()
  .post('/parties', async (c) => {
    const party = parseWith(NewParty, await readJson(c))
    const inserted = await hostParty(c.get('db'), party, 'admin')
    if (!inserted) throw new OcpiError(2001, `Party ${party.country_code.toUpperCase()}*${party.party_id.toUpperCase()} already hosts role ${party.role}`, { http_status: 409 })
    // B8.2: our credentials roles changed; every connected peer learns them through a credentials PUT.
    keepAliveOf(c)(publishRolesToPeers(c.env).catch((error) => logError('publishing roles to peers failed', error)))
    return c.json(toParty(inserted), 201)
  })
  .get('/parties', async (c) => c.json((await listHostedParties(c.get('db'))).map(toParty)))

const toParty = ({ country_code, party_id, role, business_details }: HostedParty) => ({ country_code, party_id, role, business_details })
