import { Hono, type Context } from 'hono'
import type { OcpiEnv, PartyRef } from '../../ocpi/context'
import { respond, respondPut } from '../../ocpi/envelope'
import { OcpiError, invalid } from '../../ocpi/errors'
import { toWire, type VersionAdapters } from '../../ocpi/version-adapters'
import { ingestKey, readPushed, type IngestWarning } from '../../ocpi/ingest'
import { readObjectBody } from '../../ocpi/object-body'
import { replaceIngestWarnings } from '../../db/ingest-warnings'
import { findConnector, findEvse, sameId, patchConnector, patchEvse, patchLocation, putConnector, putEvse } from './merge'
import { connectorPatchVersions, connectorVersions, evsePatchVersions, evseVersions, locationPatchVersions, locationVersions } from '../../ocpi/objects/version-maps'
import { getLocation, RECEIVED, updateLocation, upsertLocation } from './store'
import { assertPeerRepresents, partyInPath } from '../../peers/routing'

// Receiver interface (eMSP, NSP, NAP, ... any party that takes pushed locations). Locations are client owned objects:
// the URL names the owning party, which the pushing peer must represent as CPO (mod_locations, Data owner: CPO) or be a
// hub for. What it pushes is the one copy of that location, filed under the peer (`peer_id`); it never replaces a location
// of a party hosted here.

/** The owning party in the URL, refused (2001) unless the authenticated peer represents it as CPO (or is a hub). */
function ownerInUrl(c: Context<OcpiEnv>): PartyRef {
  const party = partyInPath(c)
  assertPeerRepresents(c, party, 'CPO')
  return party
}

/** "This SHALL be the same value as the country_code [party_id] in the Location object being pushed": 2001 otherwise. */
function assertSame(field: string, inBody: string, inUrl: string) {
  if (!sameId(inBody, inUrl)) throw invalid(field, `"${inBody}" does not match "${inUrl}" in the URL`)
}

/** Unknown object on GET: 2003 with HTTP 404. */
async function storedLocation(c: Context<OcpiEnv>) {
  const stored = await getLocation(c.get('db'), RECEIVED, ownerInUrl(c), c.req.param('location_id')!)
  if (!stored) throw OcpiError.unknownObject(`Location ${c.req.param('location_id')}`)
  return stored.location
}

// An older last_updated than the stored one is acknowledged (1000) but not applied: the sender's outbox must not
// retry it, and newer data must not be overwritten by it.
const acknowledged = (c: Context<OcpiEnv>) => respond(c, undefined)

/** The pushed body read as the operator set for the peer (strict or tolerant), its dropped parts under `prefix`. */
async function readBody<T>(c: Context<OcpiEnv>, adapters: VersionAdapters<T>, party: PartyRef, prefix?: string) {
  const { object, warnings } = readPushed(c, adapters, await readObjectBody(c), party)
  return { object, warnings: prefix ? warnings.map((warning) => ({ ...warning, path: `${prefix}.${warning.path}` })) : warnings }
}

/** A write that was applied replaces the location's warnings with its own (none: removed). */
async function keepWarnings(c: Context<OcpiEnv>, party: PartyRef, locationId: string, written: boolean, warnings: IngestWarning[]) {
  if (written) await replaceIngestWarnings(c.get('db'), { module: 'locations', key: ingestKey(party.country_code, party.party_id, locationId), peerId: c.get('peer').id, warnings })
}

export const receiver = new Hono<OcpiEnv>()
  .get('/:country_code/:party_id/:location_id', async (c) => respond(c, toWire(locationVersions, c.get('version'), await storedLocation(c))))
  .get('/:country_code/:party_id/:location_id/:evse_uid', async (c) => {
    const evse = findEvse(await storedLocation(c), c.req.param('evse_uid'))
    if (!evse) throw OcpiError.unknownObject(`EVSE ${c.req.param('evse_uid')}`)
    return respond(c, toWire(evseVersions, c.get('version'), evse))
  })
  .get('/:country_code/:party_id/:location_id/:evse_uid/:connector_id', async (c) => {
    const evse = findEvse(await storedLocation(c), c.req.param('evse_uid'))
    const connector = evse && findConnector(evse, c.req.param('connector_id'))
    if (!connector) throw OcpiError.unknownObject(`Connector ${c.req.param('connector_id')}`)
    return respond(c, toWire(connectorVersions, c.get('version'), connector))
  })

  .put('/:country_code/:party_id/:location_id', async (c) => {
    const party = ownerInUrl(c)
    const { object: location, warnings } = await readBody(c, locationVersions, party)
    assertSame('country_code', location.country_code, party.country_code)
    assertSame('party_id', location.party_id, party.party_id)
    assertSame('id', location.id, c.req.param('location_id'))
    const existed = await getLocation(c.get('db'), c.get('peer').id, party, location.id)
    const revision = await upsertLocation(c.get('db'), c.get('peer').id, location)
    await keepWarnings(c, party, location.id, revision !== undefined, warnings)
    return respondPut(c, !existed)
  })
  .put('/:country_code/:party_id/:location_id/:evse_uid', async (c) => {
    const party = ownerInUrl(c)
    const { object: evse, warnings } = await readBody(c, evseVersions, party, `evses.${c.req.param('evse_uid')}`)
    assertSame('uid', evse.uid, c.req.param('evse_uid'))
    const written = await updateLocation(c.get('db'), c.get('peer').id, party, c.req.param('location_id'), (location) => putEvse(location, evse))
    await keepWarnings(c, party, c.req.param('location_id'), !!written?.after, warnings)
    return acknowledged(c)
  })
  .put('/:country_code/:party_id/:location_id/:evse_uid/:connector_id', async (c) => {
    const party = ownerInUrl(c)
    const { object: connector, warnings } = await readBody(c, connectorVersions, party, `evses.${c.req.param('evse_uid')}.connectors.${c.req.param('connector_id')}`)
    assertSame('id', connector.id, c.req.param('connector_id'))
    const written = await updateLocation(c.get('db'), c.get('peer').id, party, c.req.param('location_id'), (location) => putConnector(location, c.req.param('evse_uid'), connector))
    await keepWarnings(c, party, c.req.param('location_id'), !!written?.after, warnings)
    return acknowledged(c)
  })

  .patch('/:country_code/:party_id/:location_id', async (c) => {
    const party = ownerInUrl(c)
    const { object: patch, warnings } = await readBody(c, locationPatchVersions, party)
    const written = await updateLocation(c.get('db'), c.get('peer').id, party, c.req.param('location_id'), (location) => patchLocation(location, patch))
    await keepWarnings(c, party, c.req.param('location_id'), !!written?.after, warnings)
    return acknowledged(c)
  })
  .patch('/:country_code/:party_id/:location_id/:evse_uid', async (c) => {
    const party = ownerInUrl(c)
    const { object: patch, warnings } = await readBody(c, evsePatchVersions, party, `evses.${c.req.param('evse_uid')}`)
    const written = await updateLocation(c.get('db'), c.get('peer').id, party, c.req.param('location_id'), (location) => patchEvse(location, c.req.param('evse_uid'), patch))
    await keepWarnings(c, party, c.req.param('location_id'), !!written?.after, warnings)
    return acknowledged(c)
  })
  .patch('/:country_code/:party_id/:location_id/:evse_uid/:connector_id', async (c) => {
    const party = ownerInUrl(c)
    const { evse_uid, connector_id } = c.req.param()
    const { object: patch, warnings } = await readBody(c, connectorPatchVersions, party, `evses.${evse_uid}.connectors.${connector_id}`)
    const written = await updateLocation(c.get('db'), c.get('peer').id, party, c.req.param('location_id'), (location) => patchConnector(location, evse_uid, connector_id, patch))
    await keepWarnings(c, party, c.req.param('location_id'), !!written?.after, warnings)
    return acknowledged(c)
  })
