import { respondAdminPage } from '../../ocpi/page-response'
import { withIngestWarnings } from '../../db/ingest-warnings'
import { ingestKey } from '../../ocpi/ingest'
import { Hono, type Context } from 'hono'
import type { AdminEnv } from '../../admin/context'
import { parseWith, readJson } from '../../ocpi/body'
import { OcpiError, staleWrite } from '../../ocpi/errors'
import { findHostedParty } from '../../peers/parties'
import { AdminSource, parseRecordListQuery } from '../cdrs/admin-query'
import { assertSameIds } from '../cdrs/routing'
import { publishSessionPatch, publishSessionPut } from './push'
import { Session, SessionPatch } from '../../ocpi/objects/session'
import { getSession, listSessions, patchSession, putOwnSession, type SessionRef } from './store'

/** Management bodies use the 2.3.0 shape; the ids may be left to the URL and last_updated to the clock. */
const OwnSession = Session.partial({ country_code: true, party_id: true, id: true, last_updated: true })
const OwnSessionPatch = SessionPatch.partial({ last_updated: true })

/**
 * Owner writes of hosted CPOs' sessions, each pushed to the peers representing the token's eMSP (PUT, or PATCH with
 * just the change), and reads of own and received sessions.
 */
export const admin = new Hono<AdminEnv>()
  .put('/sessions/:country_code/:party_id/:session_id', async (c) => {
    const ref = await hostedSessionRef(c)
    const body = parseWith(OwnSession, await readJson(c))
    assertSameIds(ref, body)
    const session: Session = { ...body, ...ref, last_updated: body.last_updated ?? new Date().toISOString() }
    const written = await putOwnSession(c.get('db'), session)
    if (written.outcome !== 'stored') throw staleWrite(`Session ${ref.id}`)
    // An older PUT may still have added charging periods: what was committed is what goes out.
    await publishSessionPut(c.env, c.get('db'), written.session, written.revision)
    return c.json(written.session, written.created ? 201 : 200)
  })
  .patch('/sessions/:country_code/:party_id/:session_id', async (c) => {
    const ref = await hostedSessionRef(c)
    const body = parseWith(OwnSessionPatch, await readJson(c))
    assertSameIds(ref, body)
    const patch: SessionPatch = { ...body, last_updated: body.last_updated ?? new Date().toISOString() }
    const written = await patchSession(c.get('db'), 'own', ref, patch)
    if (written.outcome === 'unknown') throw new OcpiError(2003, `Unknown session ${ref.id}`)
    if (written.outcome === 'stale') throw staleWrite(`Session ${ref.id}`)
    await publishSessionPatch(c.env, c.get('db'), written.session, patch, written.revision)
    return c.json(written.session)
  })
  .get('/sessions', async (c) => {
    const { filter, page: query } = parseRecordListQuery(c)
    const page = await listSessions(c.get('db'), filter, query)
    return respondAdminPage(c, query, { ...page, objects: await withIngestWarnings(c.get('db'), 'sessions', page.objects, objectKey) })
  })
  .get('/sessions/:country_code/:party_id/:session_id', async (c) => {
    const { source } = parseWith(AdminSource, c.req.query())
    const stored = await getSession(c.get('db'), source, sessionRefOfUrl(c))
    if (!stored) throw new OcpiError(2003, `Unknown ${source} session ${c.req.param('session_id')}`)
    const [view] = await withIngestWarnings(c.get('db'), 'sessions', [stored.session], objectKey)
    return c.json(view)
  })

function sessionRefOfUrl(c: Context<AdminEnv>): SessionRef {
  return { country_code: c.req.param('country_code')!, party_id: c.req.param('party_id')!, id: c.req.param('session_id')! }
}

/** The URL's party must be a CPO hosted here: only the owner writes a session. */
async function hostedSessionRef(c: Context<AdminEnv>): Promise<SessionRef> {
  const ref = sessionRefOfUrl(c)
  const party = await findHostedParty(c.get('db'), ref, 'CPO')
  if (!party) throw new OcpiError(2003, `${ref.country_code}*${ref.party_id} is not a CPO hosted on this platform`)
  parseWith(Session.pick({ id: true }), { id: ref.id }) // the URL's id must be a valid Session.id, CiString(36)
  return { country_code: party.country_code, party_id: party.party_id, id: ref.id }
}

/** The key of a session's ingest warnings (src/ocpi/ingest.ts). */
const objectKey = (session: { country_code: string; party_id: string; id: string }) => ingestKey(session.country_code, session.party_id, session.id)
