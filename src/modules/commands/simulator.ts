import { type Database } from '../../db/client'
import { databaseFor } from '../../db/shards'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import type { CommandBodies, CommandResultType } from '../../ocpi/objects/command'
import type { EVSE, Location, Status } from '../../ocpi/objects/location'
import { findConnector, findEvse } from '../locations/merge'
import { patchOwnLocation } from '../locations/owner'
import { getLocation, OWN_SOURCE } from '../locations/store'
import { getOwnSession } from '../sessions/store'
import type { ChargePointOutcome } from './charge-point'
import { chargingSession } from './live-sessions'
import { pricingBasis } from './pricing'
import { deleteReservation, getReservation, putReservation, reservationKey, reservationsAtEvse } from './store'
import type { TrackedCommand } from './tracked'
import type { HelpdeskCommandBodies } from '../../ocpi/objects/helpdesk-command'
import { resetEvse, unlockForHelpdesk } from './helpdesk-simulator'

// The built-in charge points of a hosted CPO (docs/commands.md, "Charge point simulator"): they answer each command
// from the EVSE's status as the CPO's locations hold it, and the status they change is written and pushed as an owner
// write, so eMSPs see EVSEs become RESERVED, CHARGING and AVAILABLE again.

const outcome = (result: CommandResultType, text?: string, detail?: Record<string, unknown>): ChargePointOutcome => ({
  result: { result, ...(text && { message: [{ language: 'en', text }] }) }, ...(detail && { detail }),
})

export async function simulate(env: Env, command: TrackedCommand): Promise<ChargePointOutcome> {
  const db = databaseFor(env)
  const cpo = command.cpo!
  switch (command.command) {
    case 'START_SESSION': return startSession(env, db, cpo, command, command.request as CommandBodies['START_SESSION'])
    case 'STOP_SESSION': return stopSession(env, db, cpo, command.request as CommandBodies['STOP_SESSION'])
    case 'RESERVE_NOW': return reserveNow(env, db, cpo, command, command.request as CommandBodies['RESERVE_NOW'])
    case 'CANCEL_RESERVATION': return cancelReservation(env, db, cpo, command, command.request as CommandBodies['CANCEL_RESERVATION'])
    case 'UNLOCK_CONNECTOR': return unlockConnector(db, cpo, command.request as CommandBodies['UNLOCK_CONNECTOR'])
    case 'RESET': return resetEvse(env, db, cpo, command.request as HelpdeskCommandBodies['RESET'])
    case 'UNLOCK': return unlockForHelpdesk(env, db, cpo, command.request as HelpdeskCommandBodies['UNLOCK'])
  }
}

/** Why an EVSE in this status cannot take a new driver; undefined when it can. */
function unavailable(status: Status): ChargePointOutcome | undefined {
  if (status === 'AVAILABLE') return undefined
  if (status === 'CHARGING' || status === 'BLOCKED') return outcome('EVSE_OCCUPIED', `EVSE is ${status}`)
  if (status === 'INOPERATIVE' || status === 'OUTOFORDER') return outcome('EVSE_INOPERATIVE', `EVSE is ${status}`)
  return outcome('REJECTED', `EVSE is ${status}`)
}

async function ownLocation(db: Database, cpo: PartyRef, locationId: string): Promise<Location | undefined> {
  return (await getLocation(db, OWN_SOURCE, cpo, locationId))?.location
}

const setEvseStatus = (env: Env, db: Database, cpo: PartyRef, location: Location, evse: EVSE, status: Status) =>
  patchOwnLocation(env, db, cpo, location.id, { level: 'evse', evse_uid: evse.uid, patch: { status, last_updated: new Date().toISOString() } })

async function startSession(env: Env, db: Database, cpo: PartyRef, command: TrackedCommand, start: CommandBodies['START_SESSION']): Promise<ChargePointOutcome> {
  const location = await ownLocation(db, cpo, start.location_id)
  if (!location) return outcome('REJECTED', 'Unknown location')
  const reservedFor = async (evse: EVSE) => (await reservationsAtEvse(db, cpo, location.id, evse.uid)).find((reservation) => reservation.token_uid === start.token.uid)
  // Without an evse_uid "the Charge Point can itself decide on which EVSE to start a new session" (StartSession object).
  const evse = start.evse_uid !== undefined ? findEvse(location, start.evse_uid) : location.evses?.find((candidate) => candidate.status === 'AVAILABLE')
  if (!evse) return outcome('REJECTED', start.evse_uid !== undefined ? 'Unknown EVSE' : 'No EVSE available')
  const reservation = evse.status === 'RESERVED' ? await reservedFor(evse) : undefined
  if (!reservation) {
    const refusal = unavailable(evse.status)
    if (refusal) return refusal
  }
  const connector = start.connector_id !== undefined ? findConnector(evse, start.connector_id) : evse.connectors[0]
  if (!connector) return outcome('REJECTED', 'Unknown connector')
  if (reservation) await deleteReservation(db, reservation.key)
  const sessionId = crypto.randomUUID()
  const pricing = await pricingBasis(db, location, connector)
  await setEvseStatus(env, db, cpo, location, evse, 'CHARGING')
  await chargingSession(env, { ...cpo, id: sessionId }).start({
    session: {
      country_code: cpo.country_code, party_id: cpo.party_id, id: sessionId, start_date_time: new Date().toISOString(), kwh: 0,
      cdr_token: { country_code: start.token.country_code, party_id: start.token.party_id, uid: start.token.uid, type: start.token.type, contract_id: start.token.contract_id },
      auth_method: 'COMMAND', ...(start.authorization_reference && { authorization_reference: start.authorization_reference }),
      location_id: location.id, evse_uid: evse.uid, connector_id: connector.id, currency: pricing.tariff?.currency ?? 'EUR', status: 'ACTIVE',
      last_updated: new Date().toISOString(),
    },
    pricing,
    command_id: command.id,
  })
  return outcome('ACCEPTED', undefined, { session_id: sessionId })
}

async function stopSession(env: Env, db: Database, cpo: PartyRef, stop: CommandBodies['STOP_SESSION']): Promise<ChargePointOutcome> {
  const stored = await getOwnSession(db, { ...cpo, id: stop.session_id })
  if (!stored || stored.session.status !== 'ACTIVE') return outcome('REJECTED', 'No such session in progress')
  const stopped = await chargingSession(env, { ...cpo, id: stop.session_id }).stop({ reason: 'STOP_SESSION' })
  return stopped ? outcome('ACCEPTED', undefined, { session_id: stop.session_id }) : outcome('REJECTED', 'No such session in progress')
}

async function reserveNow(env: Env, db: Database, cpo: PartyRef, command: TrackedCommand, reserve: CommandBodies['RESERVE_NOW']): Promise<ChargePointOutcome> {
  const expiresAt = Date.parse(reserve.expiry_date)
  if (!(expiresAt > Date.now())) return outcome('REJECTED', 'expiry_date is in the past')
  const location = await ownLocation(db, cpo, reserve.location_id)
  if (!location) return outcome('REJECTED', 'Unknown location')
  const key = reservationKey(cpo, command.peer_id, reserve.reservation_id)
  const replaced = await getReservation(db, key)
  // The same reservation_id replaces the reservation (ReserveNow object): its own EVSE is not occupied by it.
  const evse = reserve.evse_uid !== undefined ? findEvse(location, reserve.evse_uid)
    : (replaced && findEvse(location, replaced.evse_uid)) ?? location.evses?.find((candidate) => candidate.status === 'AVAILABLE')
  if (!evse) return outcome('REJECTED', reserve.evse_uid !== undefined ? 'Unknown EVSE' : 'No EVSE available')
  const heldByThis = evse.status === 'RESERVED' && replaced?.evse_uid === evse.uid
  const refusal = heldByThis ? undefined : unavailable(evse.status)
  if (refusal) return refusal
  await putReservation(db, { key, cpo, location_id: location.id, evse_uid: evse.uid, token_uid: reserve.token.uid, expires_at: expiresAt })
  if (evse.status !== 'RESERVED') await setEvseStatus(env, db, cpo, location, evse, 'RESERVED')
  return outcome('ACCEPTED', undefined, { evse_uid: evse.uid })
}

async function cancelReservation(env: Env, db: Database, cpo: PartyRef, command: TrackedCommand, cancel: CommandBodies['CANCEL_RESERVATION']): Promise<ChargePointOutcome> {
  const reservation = await getReservation(db, reservationKey(cpo, command.peer_id, cancel.reservation_id))
  if (!reservation || !(await deleteReservation(db, reservation.key))) return outcome('UNKNOWN_RESERVATION')
  await freeIfUnreserved(env, db, cpo, reservation.location_id, reservation.evse_uid)
  return outcome('ACCEPTED')
}

async function unlockConnector(db: Database, cpo: PartyRef, unlock: CommandBodies['UNLOCK_CONNECTOR']): Promise<ChargePointOutcome> {
  const location = await ownLocation(db, cpo, unlock.location_id)
  const evse = location && findEvse(location, unlock.evse_uid)
  return evse && findConnector(evse, unlock.connector_id) ? outcome('ACCEPTED') : outcome('REJECTED', 'Unknown connector')
}

/** A RESERVE_NOW's expiry: the reservation ends, and its EVSE is AVAILABLE again when nothing else holds it. */
export async function releaseExpiredReservation(env: Env, command: TrackedCommand): Promise<boolean> {
  if (command.command !== 'RESERVE_NOW' || !command.cpo) return false
  const db = databaseFor(env)
  const key = reservationKey(command.cpo, command.peer_id, (command.request as CommandBodies['RESERVE_NOW']).reservation_id)
  const reservation = await getReservation(db, key)
  if (!reservation || !(await deleteReservation(db, key, Date.now()))) return false
  await freeIfUnreserved(env, db, command.cpo, reservation.location_id, reservation.evse_uid)
  return true
}

async function freeIfUnreserved(env: Env, db: Database, cpo: PartyRef, locationId: string, evseUid: string) {
  const location = await ownLocation(db, cpo, locationId)
  const evse = location && findEvse(location, evseUid)
  if (!location || !evse || evse.status !== 'RESERVED') return
  if ((await reservationsAtEvse(db, cpo, locationId, evseUid)).length > 0) return
  await setEvseStatus(env, db, cpo, location, evse, 'AVAILABLE')
}

