import { Hono, type Context } from 'hono'
import type { OcpiEnv } from '../../ocpi/context'
import { partyInPath } from '../../peers/routing'
import { respond, respondPut } from '../../ocpi/envelope'
import { OcpiError } from '../../ocpi/errors'
import { readJson } from '../../ocpi/body'
import { toWire } from '../../ocpi/version-adapters'
import { ingestKey, readPushed, type IngestWarning } from '../../ocpi/ingest'
import { replaceIngestWarnings } from '../../db/ingest-warnings'
import { assertMayReceive, assertPeerOwns, assertSameIds, withTokenParty211 } from '../cdrs/routing'
import { sessionPatchVersions, sessionVersions } from '../../ocpi/objects/version-maps'
import { getReceivedSession, patchSession, putReceivedSession, type SessionRef } from './store'

/**
 * Sessions Receiver interface (eMSP, SCSP): sessions CPO peers push, per Client Owned Object URL
 * {country_code}/{party_id}/{session_id}. PUT replaces, PATCH adds charging periods and changes the fields it carries;
 * an older last_updated never overwrites a newer one. PUT and PATCH answer without data (transport_and_format,
 * "Response format": "leave the data field unset").
 */
export const receiver = new Hono<OcpiEnv>()
  .get('/:country_code/:party_id/:session_id', async (c) => {
    const ref = sessionRefOfUrl(c)
    assertPeerOwns(c, ref, 'session')
    const stored = await getReceivedSession(c.get('db'), ref)
    if (!stored) throw OcpiError.unknownObject('session')
    return respond(c, toWire(sessionVersions, c.get('version'), stored.session))
  })
  .put('/:country_code/:party_id/:session_id', async (c) => {
    const ref = sessionRefOfUrl(c)
    const pushed = readPushed(c, sessionVersions, await readJson(c), partyInPath(c))
    const { warnings } = pushed
    const session = await withTokenParty211(c, pushed.object)
    assertSameIds(ref, session)
    await assertMayReceive(c, session)
    const written = await putReceivedSession(c.get('db'), c.get('peer').id, session)
    if (written.outcome === 'stored') await keepWarnings(c, ref, warnings)
    return respondPut(c, written.outcome === 'stored' && written.created)
  })
  .patch('/:country_code/:party_id/:session_id', async (c) => {
    const ref = sessionRefOfUrl(c)
    const pushed = readPushed(c, sessionPatchVersions, await readJson(c), partyInPath(c))
    const { warnings } = pushed
    const read = await withTokenParty211(c, pushed.object)
    // A 2.1.1 PATCH need not carry last_updated (mod_sessions.md of 2.1.1, 2.2.3): it is as of its receipt.
    const patch = { ...read, last_updated: read.last_updated ?? new Date().toISOString() }
    assertSameIds(ref, patch)
    const stored = await getReceivedSession(c.get('db'), ref)
    // PATCH works on a session already received: a PATCH for one never PUT is an unknown object.
    if (!stored) throw new OcpiError(2003, 'Unknown session: PUT it before patching it')
    await assertMayReceive(c, { ...ref, cdr_token: patch.cdr_token ?? stored.session.cdr_token })
    const written = await patchSession(c.get('db'), 'received', ref, patch, c.get('peer').id)
    if (written.outcome === 'unknown') throw new OcpiError(2003, 'Unknown session: PUT it before patching it')
    if (written.outcome !== 'stale') await keepWarnings(c, ref, warnings)
    return respond(c, undefined)
  })

/** A write that was applied replaces the session's warnings with its own (none: removed). */
const keepWarnings = (c: Context<OcpiEnv>, ref: SessionRef, warnings: IngestWarning[]) =>
  replaceIngestWarnings(c.get('db'), { module: 'sessions', key: ingestKey(ref.country_code, ref.party_id, ref.id), peerId: c.get('peer').id, warnings })

function sessionRefOfUrl(c: Context<OcpiEnv>): SessionRef {
  return { country_code: c.req.param('country_code')!, party_id: c.req.param('party_id')!, id: c.req.param('session_id')! }
}
