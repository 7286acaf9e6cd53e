import { respondPage } from '../../ocpi/page-response'
import { Hono } from 'hono'
import { openReadSession } from '../../db/session'
import type { OcpiEnv } from '../../ocpi/context'
import { parsePageQuery } from '../../ocpi/paging'
import { addressedParty, routedTo } from '../../peers/routing'
import { toWire } from '../../ocpi/version-adapters'
import { driverTariffVersions } from '../../ocpi/objects/driver-tariff'
import { listDriverTariffs } from './store'
import { assertPeerIsCpoOrHub } from '../../peers/routing'

/** x-driver-tariffs Sender interface (eMSP): driver tariffs of the hosted eMSPs (or the addressed one), date-paged. */
export const sender = new Hono<OcpiEnv>()
  .get('/', async (c) => {
    // Driver tariffs name a driver's token: told to CPOs only, as Tokens are.
    assertPeerIsCpoOrHub(c, 'Driver tariffs')
    const query = parsePageQuery(c)
    const party = routedTo(c) ? await addressedParty(c, 'EMSP') : undefined
    const session = openReadSession(c.env, query.bookmark)
    const page = await listDriverTariffs(session.db, query, { source: 'own', party })
    return respondPage(c, query, { ...page, bookmark: session.bookmark() }, (tariff) => toWire(driverTariffVersions, c.get('version'), tariff))
  })
