import { sharedOnlyByPolicy } from '../../peers/shared-with'
import { respondPage } from '../../ocpi/page-response'
import { Hono } from 'hono'
import { openReadSession } from '../../db/session'
import type { OcpiEnv } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { OcpiError } from '../../ocpi/errors'
import { parsePageQuery } from '../../ocpi/paging'
import { addressedParty, routedTo } from '../../peers/routing'
import { isSingleParty } from '../../peers/one-party-connection'
import { toWire } from '../../ocpi/version-adapters'
import { tariffVersions } from '../../ocpi/objects/version-maps'
import { findTariff, listTariffs, peerAcceptsNonIsoCurrencies } from './store'
import { mayViewTariff, peerViews } from './visibility'
import { tariffForPeer } from './variants'

/**
 * Tariffs Sender interface (CPO): tariffs of the hosted CPO parties, date-paged (mod_tariffs "Sender Interface").
 * Addressed with OCPI-to headers it answers for that party only; without them for every hosted CPO, since each Tariff
 * names its owner. Received tariffs are never re-shared, non-ISO currencies go only to peers that opted in, and a tariff
 * used only at locations the peer may not see is not served to it (visibility.ts).
 */
export const sender = new Hono<OcpiEnv>()
  .get('/', async (c) => {
    const query = parsePageQuery(c)
    // A 2.1.1 connection is with our one CPO party facing the peer, and its tariffs do not name their owner.
    const party = routedTo(c) || isSingleParty(c.get('version')) ? await addressedParty(c, 'CPO') : undefined
    const session = openReadSession(c.env, query.bookmark)
    const [includeNonIso, views] = await Promise.all([peerAcceptsNonIsoCurrencies(session.db, c.get('peer').id), peerViews(session.db, c.get('peer'), party && [party])])
    const page = await listTariffs(session.db, query, { source: 'own', party, includeNonIso, visibleTo: views })
    // A tariff follows the locations that use it (visibility.ts): a peer shown no location is shown no tariff.
    return respondPage(c, query, { ...page, bookmark: session.bookmark() }, (tariff) => toWire(tariffVersions, c.get('version'), tariffForPeer(tariff, includeNonIso)), sharedOnlyByPolicy('Tariffs', views))
  })
  // Not in the spec's Sender interface (GET list only): a convenience for receivers checking one tariff, same visibility.
  .get('/:country_code/:party_id/:tariff_id', async (c) => {
    const party = { country_code: c.req.param('country_code'), party_id: c.req.param('party_id') }
    const session = openReadSession(c.env)
    const row = await findTariff(session.db, party, c.req.param('tariff_id'))
    const agreed = await peerAcceptsNonIsoCurrencies(session.db, c.get('peer').id)
    const visible = row && row.peer_id === null && (row.iso_currency || agreed) && (await mayViewTariff(session.db, c.get('peer'), row))
    if (!visible) throw OcpiError.unknownObject(`tariff ${c.req.param('tariff_id')}`)
    return respond(c, toWire(tariffVersions, c.get('version'), tariffForPeer(row.object, agreed)))
  })
