import { respondAdminPage } from '../../ocpi/page-response'
import { Hono } from 'hono'
import type { AdminEnv } from '../../admin/context'
import { parseWith, readJson } from '../../ocpi/body'
import { OcpiError } from '../../ocpi/errors'
import { parsePageQuery } from '../../ocpi/paging'
import { partyQuery } from '../../admin/party-param'
import { sourceQuery } from '../../admin/source-param'
import { hostedPartyFromPath } from '../../peers/routing'
import { publishDriverTariffChange } from './push'
import { DriverTariff, DriverTariffFields } from '../../ocpi/objects/driver-tariff'
import { deleteDriverTariff, findDriverTariff, listDriverTariffs, putOwnDriverTariff } from './store'

const DriverTariffBody = DriverTariffFields.partial({ country_code: true, party_id: true, token_uid: true, last_updated: true })

/** Management routes of x-driver-tariffs: a hosted eMSP writes a driver's tariff, stored then pushed to CPO peers. */
export const admin = new Hono<AdminEnv>()
  .put('/driver-tariffs/:country_code/:party_id/:token_uid', async (c) => {
    const party = await hostedPartyFromPath(c, 'EMSP')
    const tokenUid = c.req.param('token_uid')
    const body = parseWith(DriverTariffBody, await readJson(c))
    if (body.token_uid && body.token_uid.toUpperCase() !== tokenUid.toUpperCase()) throw new OcpiError(2001, 'token_uid differs from the URL', { path: 'token_uid' })
    const tariff = parseWith(DriverTariff, { ...body, ...party, token_uid: tokenUid, last_updated: body.last_updated ?? new Date().toISOString() })
    await putOwnDriverTariff(c.get('db'), tariff)
    await publishDriverTariffChange(c.env, 'PUT', tariff)
    return c.json(tariff)
  })
  .delete('/driver-tariffs/:country_code/:party_id/:token_uid', async (c) => {
    const party = await hostedPartyFromPath(c, 'EMSP')
    const removed = await deleteDriverTariff(c.get('db'), null, party, c.req.param('token_uid'))
    if (!removed) throw new OcpiError(2003, `Unknown driver tariff for token ${c.req.param('token_uid')}`)
    await publishDriverTariffChange(c.env, 'DELETE', removed)
    return c.json({ deleted: removed.token_uid })
  })
  .get('/driver-tariffs', async (c) => {
    const query = parsePageQuery(c)
    const page = await listDriverTariffs(c.get('db'), query, { ...sourceQuery(c.req.query('source'), { source: 'own' }), party: partyQuery(c.req.query('party')) })
    return respondAdminPage(c, query, page)
  })
  .get('/driver-tariffs/:country_code/:party_id/:token_uid', async (c) => {
    const party = { country_code: c.req.param('country_code'), party_id: c.req.param('party_id') }
    const row = await findDriverTariff(c.get('db'), party, c.req.param('token_uid'))
    if (!row) throw new OcpiError(2003, `Unknown driver tariff for token ${c.req.param('token_uid')}`)
    return c.json(row.object)
  })
