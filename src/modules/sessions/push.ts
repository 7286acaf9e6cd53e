import type { Database } from '../../db/client'
import type { Env } from '../../env'
import { wireBodies } from '../../ocpi/version-adapters'
import { publish } from '../../push/publish'
import { tokenPartyAudience } from '../cdrs/routing'
import { sessionPatchVersions, sessionVersions, type Session, type SessionPatch } from '../../ocpi/objects/session'

/**
 * Pushes a hosted CPO's whole session (PUT) to the peers representing the token's eMSP.
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

