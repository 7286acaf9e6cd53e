import { OcpiError, invalid } from '../../ocpi/errors'
import { toEpochMs } from '../../ocpi/types'
import type { Connector, ConnectorPatch, EVSE, EVSEPatch, Location, LocationPatch } from '../../ocpi/objects/location'

// Pure rules for writes below or beside a whole Location (mod_locations, Receiver PUT and PATCH), shared by the
// receiver (peer pushes) and the owner's management writes. Each returns the new Location, or undefined when the
// write is older than what is stored: an older last_updated never overwrites newer data.

/** 2003 for a write below an object that does not exist; HTTP 200, as only a GET of an unknown object is a 404. */
export const unknownTarget = (what: string) => new OcpiError(2003, `Unknown ${what}`)

/** CiString ids compare case-insensitively. */
export const sameId = (a: string, b: string) => a.toUpperCase() === b.toUpperCase()
const isOlder = (incoming: string, stored: string) => toEpochMs(incoming) < toEpochMs(stored)
/** "the Receiver SHALL also set the new last_updated value on the parent": never moved backwards. */
const later = (a: string, b: string) => (toEpochMs(a) >= toEpochMs(b) ? a : b)

export function findEvse(location: Location, evseUid: string): EVSE | undefined {
  return location.evses?.find((evse) => sameId(evse.uid, evseUid))
}

export function findConnector(evse: EVSE, connectorId: string): Connector | undefined {
  return evse.connectors.find((connector) => sameId(connector.id, connectorId))
}

function requireEvse(location: Location, evseUid: string): EVSE {
  const evse = findEvse(location, evseUid)
  if (!evse) throw unknownTarget(`EVSE ${evseUid} of Location ${location.id}`)
  return evse
}

function requireConnector(location: Location, evseUid: string, connectorId: string): Connector {
  const connector = findConnector(requireEvse(location, evseUid), connectorId)
  if (!connector) throw unknownTarget(`Connector ${connectorId} of EVSE ${evseUid}`)
  return connector
}

/** Replaces the listed items by id, keeps the others, appends new ones. */
function mergeById<T>(stored: readonly T[] | undefined, incoming: readonly T[], idOf: (item: T) => string): T[] {
  const result = [...(stored ?? [])]
  for (const item of incoming) {
    const index = result.findIndex((existing) => sameId(idOf(existing), idOf(item)))
    if (index === -1) result.push(item)
    else result[index] = item
  }
  return result
}

function withEvse(location: Location, evse: EVSE): Location {
  return { ...location, evses: mergeById(location.evses, [evse], (item) => item.uid), last_updated: later(evse.last_updated, location.last_updated) }
}

export function putEvse(location: Location, evse: EVSE): Location | undefined {
  const stored = findEvse(location, evse.uid)
  if (stored && isOlder(evse.last_updated, stored.last_updated)) return undefined
  return withEvse(location, evse)
}

export function putConnector(location: Location, evseUid: string, connector: Connector): Location | undefined {
  const evse = requireEvse(location, evseUid)
  const stored = findConnector(evse, connector.id)
  if (stored && isOlder(connector.last_updated, stored.last_updated)) return undefined
  const connectors = mergeById(evse.connectors, [connector], (item) => item.id)
  return withEvse(location, { ...evse, connectors, last_updated: later(connector.last_updated, evse.last_updated) })
}

/**
 * PATCH: "only the fields/objects that have to be updated have to be present". Nested lists of objects with ids
 * (evses, connectors) are merged by id, so a PATCH carrying one EVSE leaves the others unchanged.
 */
export function patchLocation(location: Location, patch: LocationPatch): Location | undefined {
  if (patch.id !== undefined && !sameId(patch.id, location.id)) throw invalid('id', 'does not match the Location in the URL')
  if (patch.country_code !== undefined && !sameId(patch.country_code, location.country_code)) throw invalid('country_code', 'does not match the URL')
  if (patch.party_id !== undefined && !sameId(patch.party_id, location.party_id)) throw invalid('party_id', 'does not match the URL')
  if (isOlder(patch.last_updated, location.last_updated)) return undefined
  const { evses, ...fields } = patch
  const merged: Location = { ...location, ...fields }
  if (evses) merged.evses = mergeById(location.evses, evses, (evse) => evse.uid)
  return merged
}

export function patchEvse(location: Location, evseUid: string, patch: EVSEPatch): Location | undefined {
  if (patch.uid !== undefined && !sameId(patch.uid, evseUid)) throw invalid('uid', 'does not match the EVSE in the URL')
  const evse = requireEvse(location, evseUid)
  if (isOlder(patch.last_updated, evse.last_updated)) return undefined
  const { connectors, ...fields } = patch
  const merged: EVSE = { ...evse, ...fields }
  if (connectors) merged.connectors = mergeById(evse.connectors, connectors, (connector) => connector.id)
  return withEvse(location, merged)
}

export function patchConnector(location: Location, evseUid: string, connectorId: string, patch: ConnectorPatch): Location | undefined {
  if (patch.id !== undefined && !sameId(patch.id, connectorId)) throw invalid('id', 'does not match the Connector in the URL')
  const connector = requireConnector(location, evseUid, connectorId)
  if (isOlder(patch.last_updated, connector.last_updated)) return undefined
  return putConnector(location, evseUid, { ...connector, ...patch })
}
