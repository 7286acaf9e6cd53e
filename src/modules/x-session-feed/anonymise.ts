import type { Session } from '../../ocpi/objects/session'

// What a data aggregator may learn of a session (docs/extensions/x-session-feed.md): where, when, how much energy, at
// what cost, never who. Pure but for the digest.

/** A session without the driver: no token (uid, contract id), no authorization reference, a pseudonymous id. */
export interface AnonymisedSession {
  id: string
  country_code: string
  party_id: string
  start_date_time: string
  end_date_time?: string
  kwh: number
  auth_method: Session['auth_method']
  location_id: string
  evse_uid: string
  connector_id: string
  currency: string
  charging_periods?: Session['charging_periods']
  total_cost?: Session['total_cost']
  status: Session['status']
  last_updated: string
}

/**
 * The session's pseudonymous id: stable for one aggregator (every update of a session carries the same one), different
 * for another, and not the CPO's session id, which the eMSP knows and could join on.
 */
export async function sessionPseudonym(aggregatorId: string, session: Pick<Session, 'country_code' | 'party_id' | 'id'>): Promise<string> {
  const input = new TextEncoder().encode(`${aggregatorId}\n${session.country_code}*${session.party_id}*${session.id}`.toUpperCase())
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', input))
  return [...digest.slice(0, 16)].map((byte) => byte.toString(16).padStart(2, '0')).join('')
}

export async function anonymisedSession(aggregatorId: string, session: Session): Promise<AnonymisedSession> {
  return {
    id: await sessionPseudonym(aggregatorId, session),
    country_code: session.country_code, party_id: session.party_id,
    start_date_time: session.start_date_time, ...(session.end_date_time && { end_date_time: session.end_date_time }),
    kwh: session.kwh, auth_method: session.auth_method,
    location_id: session.location_id, evse_uid: session.evse_uid, connector_id: session.connector_id,
    currency: session.currency,
    ...(session.charging_periods && { charging_periods: session.charging_periods }),
    ...(session.total_cost && { total_cost: session.total_cost }),
    status: session.status, last_updated: session.last_updated,
  }
}
