import type { Database } from '../../db/client'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import type { HelpdeskReset, HelpdeskUnlock } from '../../ocpi/objects/helpdesk-command'
import type { Status } from '../../ocpi/objects/location'
import { findConnector, findEvse } from '../locations/merge'
import { patchOwnLocation } from '../locations/owner'
import { getLocation, OWN_SOURCE } from '../locations/store'
import type { ChargePointOutcome } from './charge-point'

// The built-in charge points' answers to an MSP helpdesk (x-helpdesk, docs/extensions/x-helpdesk.md).

const outcome = (result: ChargePointOutcome['result']['result'], text?: string): ChargePointOutcome => ({
  result: { result, ...(text && { message: [{ language: 'en', text }] }) },
})

/** A reset brings a faulted EVSE back into service; one that is charging a driver is not reset under them. */
const BACK_IN_SERVICE: readonly Status[] = ['INOPERATIVE', 'OUTOFORDER']

export async function resetEvse(env: Env, db: Database, cpo: PartyRef, reset: HelpdeskReset): Promise<ChargePointOutcome> {
  const location = (await getLocation(db, OWN_SOURCE, cpo, reset.location_id))?.location
  const evse = location && findEvse(location, reset.evse_uid)
  if (!location || !evse || evse.status === 'REMOVED') return outcome('REJECTED', 'Unknown EVSE')
  if (evse.status === 'CHARGING') return outcome('EVSE_OCCUPIED', 'EVSE is CHARGING: stop the session first')
  if (BACK_IN_SERVICE.includes(evse.status)) {
    await patchOwnLocation(env, db, cpo, location.id, { level: 'evse', evse_uid: evse.uid, patch: { status: 'AVAILABLE', last_updated: new Date().toISOString() } })
  }
  return outcome('ACCEPTED')
}

/** An unlock frees the connector; an EVSE BLOCKED by a stuck cable is AVAILABLE again. */
export async function unlockForHelpdesk(env: Env, db: Database, cpo: PartyRef, unlock: HelpdeskUnlock): Promise<ChargePointOutcome> {
  const location = (await getLocation(db, OWN_SOURCE, cpo, unlock.location_id))?.location
  const evse = location && findEvse(location, unlock.evse_uid)
  if (!location || !evse || !findConnector(evse, unlock.connector_id)) return outcome('REJECTED', 'Unknown connector')
  if (evse.status === 'BLOCKED') {
    await patchOwnLocation(env, db, cpo, location.id, { level: 'evse', evse_uid: evse.uid, patch: { status: 'AVAILABLE', last_updated: new Date().toISOString() } })
  }
  return outcome('ACCEPTED')
}
