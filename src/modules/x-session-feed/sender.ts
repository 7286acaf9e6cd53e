import { Hono } from 'hono'
import { openReadSession } from '../../db/session'
import type { OcpiEnv } from '../../ocpi/context'
import { respondPage } from '../../ocpi/page-response'
import { parsePageQuery } from '../../ocpi/paging'
import { addressedParty, routedTo } from '../../peers/routing'
import { listHostedParties } from '../../peers/parties'
import { partyViews } from '../locations/policy-store'
import { listSessions } from '../sessions/store'
import { anonymisedSession, type AnonymisedSession } from './anonymise'
import { isAggregator } from './audience'

/**
 * x-session-feed Sender interface (CPO): the hosted CPOs' sessions, ongoing and finished, date-paged like the sessions
 * Sender, anonymised, and only those at locations the CPO's sharing policy lets the aggregator see (filtered in the
 * query, so X-Total-Count is exact). `OCPI-to` narrows to one CPO.
 */
export const sender = new Hono<OcpiEnv>().get('/', async (c) => {
  const query = parsePageQuery(c)
  if (!isAggregator(c)) return respondPage(c, query, { objects: [], total: 0 }, undefined, 'Sessions are fed to NAP, NSP and OTHER peers only')
  const cpos = routedTo(c) ? [await addressedParty(c, 'CPO')] : (await listHostedParties(c.get('db'))).filter((party) => party.role === 'CPO')
  const session = openReadSession(c.env, query.bookmark)
  const views = await partyViews(session.db, c.get('peer'), cpos)
  const page = await listSessions(session.db, { source: 'own', owners: views.map((view) => view.party), locationsVisibleTo: views }, query)
  const objects: AnonymisedSession[] = await Promise.all(page.objects.map((object) => anonymisedSession(c.get('peer').id, object)))
  return respondPage(c, query, { ...page, objects, bookmark: session.bookmark() })
})
