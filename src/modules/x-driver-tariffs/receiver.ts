import { Hono } from 'hono'
import { readJson } from '../../ocpi/body'
import type { OcpiEnv } from '../../ocpi/context'
import { samePartyRef } from '../../ocpi/context'
import { respond, respondPut } from '../../ocpi/envelope'
import { OcpiError } from '../../ocpi/errors'
import { fromWire, toWire } from '../../ocpi/version-adapters'
import { driverTariffVersions } from '../../ocpi/objects/driver-tariff'
import { deleteDriverTariff, findDriverTariff, putReceivedDriverTariff } from './store'
import { driverTariffAddress } from './wire'

/** x-driver-tariffs Receiver interface (CPO): the eMSP pushes, checks and withdraws a driver's tariff. */
export const receiver = new Hono<OcpiEnv>()
  .get('/:country_code/:party_id/:token_uid', async (c) => {
    const { party, tokenUid } = await driverTariffAddress(c)
    const row = await findDriverTariff(c.get('db'), party, tokenUid)
    if (!row || row.peer_id !== c.get('peer').id) throw OcpiError.unknownObject(`driver tariff for token ${tokenUid}`)
    return respond(c, toWire(driverTariffVersions, c.get('version'), row.object))
  })
  .put('/:country_code/:party_id/:token_uid', async (c) => {
    const { party, tokenUid } = await driverTariffAddress(c)
    const tariff = fromWire(driverTariffVersions, c.get('version'), await readJson(c))
    if (!samePartyRef(tariff, party)) throw new OcpiError(2001, 'country_code/party_id differ from the URL', { path: 'country_code' })
    if (tariff.token_uid.toUpperCase() !== tokenUid.toUpperCase()) throw new OcpiError(2001, 'token_uid differs from the URL', { path: 'token_uid' })
    const existed = await findDriverTariff(c.get('db'), party, tariff.token_uid)
    const result = await putReceivedDriverTariff(c.get('db'), c.get('peer').id, tariff)
    if (result === 'not_owned') throw new OcpiError(2001, `Token ${tokenUid} belongs to a party hosted here`, { path: 'token_uid' })
    return respondPut(c, !existed)
  })
  .delete('/:country_code/:party_id/:token_uid', async (c) => {
    const { party, tokenUid } = await driverTariffAddress(c)
    if (!(await deleteDriverTariff(c.get('db'), c.get('peer').id, party, tokenUid))) throw new OcpiError(2003, `Unknown driver tariff for token ${tokenUid}`)
    return respond(c, null)
  })
