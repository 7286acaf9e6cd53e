import type { Database } from '../../db/client'
import { databaseFor } from '../../db/shards'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import { OcpiError, invalid, staleWrite } from '../../ocpi/errors'
import { wireBodies } from '../../ocpi/version-adapters'
import { findHostedParty } from '../../peers/parties'
import { patchConnector, patchEvse, patchLocation, sameId } from './merge'
import { getPolicy } from './policy-store'
import { locationPath, pushLocationChange } from './push'
import { type ConnectorPatch, type EVSEPatch, type Location, type LocationPatch } from '../../ocpi/objects/location'
import { connectorPatchVersions, evsePatchVersions, locationPatchVersions } from '../../ocpi/objects/version-maps'
import { OWN_SOURCE, getLocation, updateLocation, upsertLocation } from './store'

// Owner writes of hosted CPO parties: stored first, then pushed to every peer according to the party's sharing
// policy. The management API, the seed, charge point migration and policy changes all go through these functions.
// `db` holds the platform data (hosted parties, sharing policies); the locations themselves live on the party's shard.

export async function assertHostedCpo(db: Database, party: PartyRef) {
  if (!(await findHostedParty(db, party, 'CPO'))) {
    throw new OcpiError(2003, `${party.country_code}*${party.party_id} is not a hosted CPO party`, { http_status: 404 })
  }
}


/**
 * What else follows a hosted CPO's location when its owner changes it (the Bookings module's BookingLocations derive
 * from it), registered by src/app/modules.ts: this module cannot import the modules built on it.
 */
export type OwnLocationListener = (env: Env, db: Database, before: Location | undefined, after: Location) => Promise<unknown>
const ownLocationListeners: OwnLocationListener[] = []
export function onOwnLocationWrite(listener: OwnLocationListener): void {
  ownLocationListeners.push(listener)
}

/** Tells what follows a hosted CPO's locations (onOwnLocationWrite) that one of them was written. */
export async function ownLocationWritten(env: Env, db: Database, before: Location | undefined, after: Location): Promise<void> {
  for (const listener of ownLocationListeners) await listener(env, db, before, after)
}

/** PUT of a whole location. Returns whether it was new. */
export async function writeOwnLocation(env: Env, db: Database, location: Location): Promise<{ created: boolean }> {
  await assertHostedCpo(db, location)
  const objects = databaseFor(env, location)
  const [before, policy] = await Promise.all([getLocation(objects, OWN_SOURCE, location, location.id), getPolicy(db, location)])
  const revision = await upsertLocation(objects, OWN_SOURCE, location)
  if (!revision) throw staleWrite(`Location ${location.id}`)
  await pushLocationChange(env, before && { location: before.location, policy: policy?.policy }, { location, policy: policy?.policy, revision })
  await ownLocationWritten(env, db, before?.location, location)
  return { created: !before }
}

export type OwnPatch =
  | { level: 'location'; patch: LocationPatch }
  | { level: 'evse'; evse_uid: string; patch: EVSEPatch }
  | { level: 'connector'; evse_uid: string; connector_id: string; patch: ConnectorPatch }

/** PATCH of a location, one EVSE or one connector; pushed as the same PATCH to peers that keep seeing it. */
export async function patchOwnLocation(env: Env, db: Database, party: PartyRef, id: string, change: OwnPatch): Promise<Location> {
  await assertHostedCpo(db, party)
  const result = await updateLocation(databaseFor(env, party), OWN_SOURCE, party, id, (location) => {
    if (change.level === 'location') return patchLocation(location, change.patch)
    if (change.level === 'evse') return patchEvse(location, change.evse_uid, change.patch)
    return patchConnector(location, change.evse_uid, change.connector_id, change.patch)
  })
  if (!result.after) throw staleWrite(`Location ${id}`)
  const path = [...locationPath(result.after), ...(change.level === 'location' ? [] : [change.evse_uid]), ...(change.level === 'connector' ? [change.connector_id] : [])]
  const bodies =
    change.level === 'location' ? wireBodies(locationPatchVersions, change.patch)
    : change.level === 'evse' ? wireBodies(evsePatchVersions, change.patch)
    : wireBodies(connectorPatchVersions, change.patch)
  const policy = (await getPolicy(db, party))?.policy
  await pushLocationChange(env, { location: result.before, policy }, { location: result.after, policy, revision: result.revision }, { method: 'PATCH', path, bodies })
  await ownLocationWritten(env, db, result.before, result.after)
  return result.after
}

/** Management bodies may leave last_updated out at any level: the write is stamped with the time it is made. */
export function stampLastUpdated(value: unknown, now: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const object: Record<string, unknown> = { last_updated: now, ...(value as Record<string, unknown>) }
  if (Array.isArray(object.evses)) object.evses = object.evses.map((evse) => stampLastUpdated(evse, now))
  if (Array.isArray(object.connectors)) object.connectors = object.connectors.map((connector) => stampLastUpdated(connector, now))
  return object
}

export function assertIdsMatch(location: Pick<Location, 'country_code' | 'party_id' | 'id'>, party: PartyRef, id: string) {
  if (!sameId(location.country_code, party.country_code)) throw invalid('country_code', 'does not match the URL')
  if (!sameId(location.party_id, party.party_id)) throw invalid('party_id', 'does not match the URL')
  if (!sameId(location.id, id)) throw invalid('id', 'does not match the URL')
}
