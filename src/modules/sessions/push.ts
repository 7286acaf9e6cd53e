import type { Database } from '../../db/client'
import type { Env } from '../../env'
import { wireBodies } from '../../ocpi/version-adapters'
import { publish } from '../../push/publish'
import { tokenPartyAudience } from '../cdrs/routing'
import { type Session, type SessionPatch } from '../../ocpi/objects/session'
import { sessionPatchVersions, sessionVersions } from '../../ocpi/objects/version-maps'
import { sessionTo211 } from '../../ocpi/objects/v211/session'
import { storedLocationOf } from './embedded-location'

/**
 * Pushes a hosted CPO's whole session (PUT) to the peers representing the token's eMSP.
 */
export async function publishSessionPut(env: Env, db: Database, session: Session, revision?: number) {
  return publishSession(env, db, 'PUT', session, await sessionBodies(db, session), revision)
}

/** The session in every version; the 2.1.1 body embeds its stored Location (mod_sessions.md 3.1). */
async function sessionBodies(db: Database, session: Session) {
  return { ...wireBodies(sessionVersions, session), '2.1.1': sessionTo211(session, await storedLocationOf(db, session)) }
}

/**
 * Pushes a change to a hosted CPO's session, bound to the revision it committed. A change that adds periods goes out as
 * a PUT of the whole committed session: it may have been older than the stored one (its periods merged, its scalars
 * not), so only the committed state says what the peer must hold.
 */
export async function publishSessionPatch(env: Env, db: Database, session: Session, patch: SessionPatch, revision: number) {
  if (patch.charging_periods?.length) return publishSessionPut(env, db, session, revision)
  return publishSession(env, db, 'PATCH', session, wireBodies(sessionPatchVersions, patch), revision)
}

async function publishSession(env: Env, db: Database, method: 'PUT' | 'PATCH', session: Session, bodies: ReturnType<typeof wireBodies>, revision?: number) {
  const from = { country_code: session.country_code.toUpperCase(), party_id: session.party_id.toUpperCase() }
  return publish(env, {
    module: 'sessions',
    method,
    path: [session.country_code, session.party_id, session.id],
    bodies,
    from,
    // One key per session: its PUT and PATCHes reach each peer in the order they were written.
    objectKey: `sessions/${from.country_code}/${from.party_id}/${session.id}`,
    version: revision,
    // The outbox sends the whole committed session instead of a PATCH it cannot place after the version before it.
    snapshot: method === 'PATCH' ? { path: [session.country_code, session.party_id, session.id], bodies: await sessionBodies(db, session) } : undefined,
  }, await tokenPartyAudience(db, session.cdr_token))
}

