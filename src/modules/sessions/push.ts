import type { Database } from '../../db/client'
import type { PartyRef } from '../../ocpi/context'
import type { PageQuery } from '../../ocpi/paging'
import type { Env } from '../../env'
import { wireBodies } from '../../ocpi/version-adapters'
import { publish } from '../../push/publish'
import { tokenPartyAudience } from '../cdrs/routing'
import { sessionPatchVersions, sessionVersions, type Session, type SessionPatch } from './schema'
import { listSessions } from './store'

/**
 * Pushes a hosted CPO's whole session (PUT) to the peers representing the token's eMSP. Also what re-sends open
 * sessions to an eMSP's new platform after a token migration: a PUT creates the session there, so its later PATCHes apply.
 */
export function publishSessionPut(env: Env, db: Database, session: Session) {
  return publishSession(env, db, 'PUT', session, wireBodies(sessionVersions, session))
}

/**
 * Pushes a change to a hosted CPO's session. A PATCH adds its charging_periods to the receiver's list, but the outbox
 * may fold an undelivered PATCH into the next by a shallow merge, which would keep only the later list: a change that
 * adds periods therefore goes out as a PUT of the whole session (it replaces the periods with the complete list).
 */
export function publishSessionPatch(env: Env, db: Database, session: Session, patch: SessionPatch) {
  if (patch.charging_periods?.length) return publishSessionPut(env, db, session)
  return publishSession(env, db, 'PATCH', session, wireBodies(sessionPatchVersions, patch))
}

async function publishSession(env: Env, db: Database, method: 'PUT' | 'PATCH', session: Session, bodies: ReturnType<typeof wireBodies>) {
  const from = { country_code: session.country_code.toUpperCase(), party_id: session.party_id.toUpperCase() }
  return publish(env, {
    module: 'sessions',
    method,
    path: [session.country_code, session.party_id, session.id],
    bodies,
    from,
    // One key per session: its PUT and PATCHes reach each peer in the order they were written.
    objectKey: `sessions/${from.country_code}/${from.party_id}/${session.id}`,
  }, await tokenPartyAudience(db, session.cdr_token))
}

const OPEN_STATUSES = new Set<Session['status']>(['ACTIVE', 'PENDING', 'RESERVATION'])

/**
 * Token migration (B3.2): re-sends every open own session of the eMSP's tokens as a PUT, to the peers representing
 * that party now, so sessions started before the move complete on the new platform (their later PATCHes, and the CDR,
 * follow to the same peers). Returns how many sessions were re-sent.
 */
export async function republishOpenSessionsOfTokenParty(env: Env, db: Database, party: PartyRef): Promise<number> {
  let page: PageQuery = { offset: 0, limit: 100 }
  let republished = 0
  for (;;) {
    const found = await listSessions(db, { source: 'own', tokenParties: [party] }, page)
    for (const session of found.objects.filter((candidate) => OPEN_STATUSES.has(candidate.status))) {
      await publishSessionPut(env, db, session)
      republished++
    }
    if (!found.last || found.objects.length < page.limit) return republished
    page = { ...page, after: found.last }
  }
}
