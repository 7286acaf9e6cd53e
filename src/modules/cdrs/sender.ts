import { respondPage } from '../../ocpi/page-response'
import { Hono } from 'hono'
import { openReadSession } from '../../db/session'
import type { OcpiEnv } from '../../ocpi/context'
import { parsePageQuery } from '../../ocpi/paging'
import { toWire } from '../../ocpi/version-adapters'
import { addressedOwners, emptyForRoles, visibleTokenPartiesFilter } from './routing'
import { cdrVersions } from '../../ocpi/objects/version-maps'
import { listCdrs } from './store'
import { peerAcceptsNonIsoCurrencies } from '../tariffs/store'
import { agreesToBookings, agreesToCostBreakdown, carriesTariffGroups, cdrForPeer } from './for-peer'

/**
 * CDRs Sender interface (CPO): the hosted CPOs' CDRs, date-paged. "A CPO is allowed to return only the CDRs that are
 * relevant for the requesting eMSP": a peer only ever sees CDRs of tokens of a party it represents.
 */
export const sender = new Hono<OcpiEnv>().get('/', async (c) => {
  const query = parsePageQuery(c)
  const session = openReadSession(c.env, query.bookmark)
  const page = await listCdrs(session.db, { source: 'own', owners: await addressedOwners(c), ...visibleTokenPartiesFilter(c) }, query)
  const agreed = {
    tariffGroups: page.objects.some(carriesTariffGroups) && (await peerAcceptsNonIsoCurrencies(c.get('db'), c.get('peer').id)),
    costBreakdown: agreesToCostBreakdown(c.get('peer')),
    bookings: agreesToBookings(c.get('peer')),
  }
  return respondPage(c, query, { ...page, bookmark: session.bookmark() }, (cdr) => toWire(cdrVersions, c.get('version'), cdrForPeer(cdr, agreed)), emptyForRoles(c, 'CDRs'))
})
