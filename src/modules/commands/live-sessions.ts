import { databaseFor } from '../../db/shards'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import type { CDR, ChargingPeriod } from '../../ocpi/objects/cdr'
import type { Session, SessionPatch } from '../../ocpi/objects/session'
import { publishCdr } from '../cdrs/push'
import { fulfilOwnBooking } from '../bookings/lifecycle'
import { insertOwnCdr } from '../cdrs/store'
import { findConnector, findEvse } from '../locations/merge'
import { patchOwnLocation } from '../locations/owner'
import { getLocation, OWN_SOURCE } from '../locations/store'
import { publishSessionPatch, publishSessionPut } from '../sessions/push'
import { patchSession, putOwnSession } from '../sessions/store'
import type { Tariff } from '../../ocpi/objects/tariff'
import type { ChargingCosts } from './pricing'
import { cdrCostBreakdown } from '../../tariff'

// The writes of a hosted CPO's live session, as its ChargingSession makes them: through the sessions and CDRs stores,
// pushed to the token's eMSP by the outbox like any owner write.

export type SessionRef = PartyRef & { id: string }

export const sessionKey = (ref: SessionRef) => `${ref.country_code}*${ref.party_id}*${ref.id}`.toUpperCase()

/** The ChargingSession of one session. */
export const chargingSession = (env: Env, ref: SessionRef) => env.CHARGING_SESSION.get(env.CHARGING_SESSION.idFromName(sessionKey(ref)))

/** Returns the id of the booking the session fulfils, if any: its CDR carries it (`booking_id`). */
export async function writeStartedSession(env: Env, session: Session): Promise<string | undefined> {
  const db = databaseFor(env)
  const written = await putOwnSession(db, session)
  if (written.outcome === 'stored') await publishSessionPut(env, db, written.session, written.revision)
  // A booking of this EVSE for the token's eMSP, holding it now, is fulfilled by the session (mod_bookings).
  return (await fulfilOwnBooking(env, db, session, Date.parse(session.start_date_time)))?.id
}

/** A change of the live session (energy, periods, cost, status); returns the session as stored. */
export async function writeSessionChange(env: Env, session: Session, patch: Omit<SessionPatch, 'last_updated'>): Promise<Session> {
  const db = databaseFor(env)
  const stamped: SessionPatch = { ...patch, last_updated: new Date().toISOString() }
  const written = await patchSession(db, 'own', session, stamped)
  if (written.outcome !== 'stored') return session
  await publishSessionPatch(env, db, written.session, stamped, written.revision)
  return written.session
}

const STOP_REMARKS: Record<string, string> = {
  STOP_SESSION: 'Stopped by the eMSP (STOP_SESSION)', CSMS: 'Stopped at the charge point',
  max_kwh: 'Stopped at the charging limit max_kwh', max_cost: 'Stopped at the charging limit max_cost',
  max_duration: 'Stopped at the charging limit max_duration_minutes', stop_at: 'Stopped at the charging limit stop_at',
}
export const stopRemark = (reason: string) => STOP_REMARKS[reason] ?? 'Stopped'

/**
 * The end of a session: COMPLETED with its final energy, periods and cost, its CDR created and posted to the token's
 * eMSP, and the EVSE AVAILABLE again. `costs` come from the same function as the live cost (the tariff engine).
 */
export async function writeFinishedSession(
  env: Env, session: Session, periods: ChargingPeriod[], kwh: number, endedAt: number, costs: ChargingCosts, tariff?: Tariff, stopReason?: string, bookingId?: string,
): Promise<CDR | undefined> {
  const db = databaseFor(env)
  const { total_cost } = costs
  const end_date_time = new Date(endedAt).toISOString()
  const finished = await writeSessionChange(env, session, { status: 'COMPLETED', end_date_time, kwh, charging_periods: periods, total_cost })
  const location = (await getLocation(db, OWN_SOURCE, session, session.location_id))?.location
  const evse = location && findEvse(location, session.evse_uid)
  const connector = evse && findConnector(evse, session.connector_id)
  if (!location || !evse || !connector) return undefined
  const cdr: CDR = {
    country_code: session.country_code, party_id: session.party_id, id: session.id, start_date_time: session.start_date_time, end_date_time,
    // The 2.3.0 bookings release's mod_cdrs: "Unique ID of the Booking for which this cdr can also be sent".
    ...(bookingId && { booking_id: bookingId }),
    session_id: session.id, cdr_token: session.cdr_token, auth_method: session.auth_method,
    ...(session.authorization_reference && { authorization_reference: session.authorization_reference }),
    cdr_location: {
      id: location.id, ...(location.name && { name: location.name }), address: location.address, city: location.city,
      ...(location.postal_code && { postal_code: location.postal_code }), country: location.country, coordinates: location.coordinates,
      evse_uid: evse.uid, evse_id: evse.evse_id ?? evse.uid, connector_id: connector.id, connector_standard: connector.standard,
      connector_format: connector.format, connector_power_type: connector.power_type,
    },
    currency: finished.currency,
    charging_periods: periods.length > 0 ? periods : [{ start_date_time: session.start_date_time, dimensions: [{ type: 'ENERGY', volume: 0 }] }],
    ...(tariff && { tariffs: [tariff] }), total_cost, ...costs.dimensions, total_energy: kwh, total_time: Math.round((endedAt - Date.parse(session.start_date_time)) / 36) / 100_000,
    // CDR.remark: "for example: reason why a transaction was stopped".
    ...(stopReason && { remark: stopRemark(stopReason) }),
    ...(costs.breakdown && { cost_breakdown: cdrCostBreakdown(costs.breakdown) }),
    last_updated: end_date_time,
  }
  if ((await insertOwnCdr(db, cdr)).outcome === 'created') await publishCdr(env, db, cdr)
  if (evse.status === 'CHARGING') {
    await patchOwnLocation(env, db, session, location.id, { level: 'evse', evse_uid: evse.uid, patch: { status: 'AVAILABLE', last_updated: end_date_time } })
  }
  return cdr
}
