import { z } from 'zod'
import type { Database } from '../../db/client'
import { databaseFor } from '../../db/shards'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import { OcpiError, invalid } from '../../ocpi/errors'
import { CiString, CountryCode, PartyId } from '../../ocpi/types'
import { findEvse, putEvse } from './merge'
import { assertHostedCpo, ownLocationWritten, writeOwnLocation } from './owner'
import { getPolicy } from './policy-store'
import { pushLocationChange } from './push'
import type { EVSE, Location } from '../../ocpi/objects/location'
import { OWN_SOURCE, getLocation, updateLocation } from './store'

// Charge point migration (B1.1): a location, or some of its EVSEs, changes hands between two hosted CPO parties.
// OCPI never deletes EVSEs ("they MUST update the EVSE's status field to REMOVED"), so the old side keeps them as
// REMOVED and the new side publishes them afresh; every receiver ends with both facts. docs/locations.md.

export const MoveRequest = z.object({
  to: z.object({ country_code: CountryCode, party_id: PartyId }),
  /** Location id under the new party; default: the same id. An existing location there receives the EVSEs. */
  new_id: CiString(36).optional(),
  /** EVSEs to move; default: every EVSE that is not REMOVED. */
  evse_uids: z.array(CiString(36)).min(1).optional(),
})
export type MoveRequest = z.infer<typeof MoveRequest>

/** An eMI3 EVSE ID starts with the operator's ID (country code and party id): it follows the EVSE to its new operator. */
function reassignEvseId(evseId: string | undefined, from: PartyRef, to: PartyRef): string | undefined {
  if (!evseId) return evseId
  const prefix = new RegExp(`^${from.country_code}(\\*?)${from.party_id}(\\*?)`, 'i')
  return evseId.replace(prefix, (_match, first: string, second: string) => `${to.country_code.toUpperCase()}${first}${to.party_id.toUpperCase()}${second}`)
}

export async function moveLocation(env: Env, db: Database, from: PartyRef, id: string, request: MoveRequest, now = new Date()) {
  const to = { country_code: request.to.country_code.toUpperCase(), party_id: request.to.party_id.toUpperCase() }
  const targetId = request.new_id ?? id
  await Promise.all([assertHostedCpo(db, from), assertHostedCpo(db, to)])
  // Each party's locations are on its own database (docs/sharding.md); peers, parties and policies on the platform's.
  const stored = await getLocation(databaseFor(env, from), OWN_SOURCE, from, id)
  if (!stored) throw OcpiError.unknownObject(`Location ${id}`)
  const source = stored.location
  if (`${from.country_code}*${from.party_id}*${id}`.toUpperCase() === `${to.country_code}*${to.party_id}*${targetId}`.toUpperCase()) {
    throw invalid('to', 'is the location itself')
  }
  const uids = request.evse_uids ?? (source.evses ?? []).filter((evse) => evse.status !== 'REMOVED').map((evse) => evse.uid)
  const moving: EVSE[] = uids.map((uid, index) => {
    const evse = findEvse(source, uid)
    if (!evse || evse.status === 'REMOVED') throw invalid(`evse_uids.${index}`, `EVSE ${uid} is not an active EVSE of Location ${id}`)
    return evse
  })
  if (moving.length === 0) throw invalid('evse_uids', `Location ${id} has no active EVSE to move`)
  const stamp = now.toISOString()

  // New side first, so a driver never sees the chargers vanish before they reappear.
  const moved = moving.map((evse) => ({
    ...evse,
    evse_id: reassignEvseId(evse.evse_id, from, to),
    last_updated: stamp,
    connectors: evse.connectors.map((connector) => ({ ...connector, last_updated: stamp })),
  }))
  const existing = await getLocation(databaseFor(env, to), OWN_SOURCE, to, targetId)
  const target: Location = existing
    ? moved.reduce((location, evse) => putEvse(location, evse) ?? location, existing.location)
    : { ...source, country_code: to.country_code, party_id: to.party_id, id: targetId, evses: moved, last_updated: stamp }
  await writeOwnLocation(env, db, target)

  const removing = new Set(moving.map((evse) => evse.uid.toUpperCase()))
  const old = await updateLocation(databaseFor(env, from), OWN_SOURCE, from, id, (location) => ({
    ...location,
    last_updated: stamp,
    evses: location.evses?.map((evse) => (removing.has(evse.uid.toUpperCase()) ? { ...evse, status: 'REMOVED' as const, last_updated: stamp } : evse)),
  }))
  const policy = (await getPolicy(db, from))?.policy
  await pushLocationChange(env, { location: old.before, policy }, { location: old.after!, policy, revision: old.after ? old.revision : undefined })
  // The moved EVSEs are REMOVED here: what follows the locations (e.g. BookingLocations) hears of it like of any owner write.
  if (old.after) await ownLocationWritten(env, db, old.before, old.after)
  return { from: old.after!, to: target }
}
