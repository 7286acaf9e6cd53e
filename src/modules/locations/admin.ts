import { readObjectBody } from '../../ocpi/object-body'
import { withIngestWarnings } from '../../db/ingest-warnings'
import { ingestKey } from '../../ocpi/ingest'
import { respondAdminPage } from '../../ocpi/page-response'
import { partyInPath } from '../../peers/routing'
import { partyQuery } from '../../admin/party-param'
import { sourceQuery } from '../../admin/source-param'
import { Hono, type Context } from 'hono'
import { databaseFor } from '../../db/shards'
import { z } from 'zod'
import type { AdminEnv } from '../../admin/context'
import { parseWith, readJson } from '../../ocpi/body'
import { OcpiError } from '../../ocpi/errors'
import { parsePageQuery } from '../../ocpi/paging'
import { DateTime } from '../../ocpi/types'
import { jobAccepted, startJob } from '../../jobs/start'
import { MoveRequest, moveLocation } from './migration'
import { assertIdsMatch, patchOwnLocation, stampLastUpdated, writeOwnLocation } from './owner'
import { applySharingPolicy } from './policy-change'
import { DEFAULT_POLICY, SharingPolicy } from '../../ocpi/objects/sharing-policy'
import { getPolicy } from './policy-store'
import { ConnectorPatch, EVSEPatch, Location, LocationPatch } from '../../ocpi/objects/location'
import { OWN_SOURCE, getLocation, listLocations } from './store'
import { LOCATION_SYNC_JOB, planLocationSync } from './sync'

// Management routes (DESIGN "Management API"): owner writes in 2.3.0 shapes, reads of own and received locations,
// charge point migration, pull sync from a peer, and the data-sharing policy of a party.

const now = () => new Date().toISOString()


async function readPatch<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  return parseWith(schema, stampLastUpdated(await readObjectBody(c), now()))
}

/** The key of a location's ingest warnings (src/ocpi/ingest.ts). */
const locationKey = (location: { country_code: string; party_id: string; id: string }) => ingestKey(location.country_code, location.party_id, location.id)

const SyncRequest = z.object({ date_from: DateTime.optional(), limit: z.number().int().min(1).max(1000).optional() })

export const admin = new Hono<AdminEnv>()
  .get('/locations', async (c) => {
    const page = parsePageQuery(c)
    const filter = { ...sourceQuery(c.req.query('source'), undefined), party: partyQuery(c.req.query('party')) }
    const result = await listLocations(databaseFor(c.env, filter.party), filter, page)
    return respondAdminPage(c, page, { ...result, objects: await withIngestWarnings(c.get('db'), 'locations', result.objects, locationKey) })
  })
  .get('/locations/:country_code/:party_id/:location_id', async (c) => {
    const filter = sourceQuery(c.req.query('source'), { source: OWN_SOURCE })
    const source = filter.peerId ?? filter.source
    const stored = await getLocation(databaseFor(c.env, partyInPath(c)), source, partyInPath(c), c.req.param('location_id'))
    if (!stored) throw OcpiError.unknownObject(`Location ${c.req.param('location_id')} (source ${source})`)
    const [view] = await withIngestWarnings(c.get('db'), 'locations', [stored.location], locationKey)
    return c.json(view)
  })
  .put('/locations/:country_code/:party_id/:location_id', async (c) => {
    const location = parseWith(Location, stampLastUpdated(await readJson(c), now()))
    assertIdsMatch(location, partyInPath(c), c.req.param('location_id'))
    const { created } = await writeOwnLocation(c.env, c.get('db'), location)
    return c.json(location, created ? 201 : 200)
  })
  .patch('/locations/:country_code/:party_id/:location_id', async (c) => {
    const patch = await readPatch(c, LocationPatch)
    return c.json(await patchOwnLocation(c.env, c.get('db'), partyInPath(c), c.req.param('location_id'), { level: 'location', patch }))
  })
  .patch('/locations/:country_code/:party_id/:location_id/:evse_uid', async (c) => {
    const patch = await readPatch(c, EVSEPatch)
    return c.json(await patchOwnLocation(c.env, c.get('db'), partyInPath(c), c.req.param('location_id'), { level: 'evse', evse_uid: c.req.param('evse_uid'), patch }))
  })
  .patch('/locations/:country_code/:party_id/:location_id/:evse_uid/:connector_id', async (c) => {
    const patch = await readPatch(c, ConnectorPatch)
    const { location_id, evse_uid, connector_id } = c.req.param()
    return c.json(await patchOwnLocation(c.env, c.get('db'), partyInPath(c), location_id, { level: 'connector', evse_uid, connector_id, patch }))
  })
  .post('/locations/:country_code/:party_id/:location_id/move', async (c) => {
    const request = parseWith(MoveRequest, await readJson(c))
    return c.json(await moveLocation(c.env, c.get('db'), partyInPath(c), c.req.param('location_id'), request))
  })
  .post('/locations/sync/:peer_id', async (c) => {
    const request = parseWith(SyncRequest, c.req.header('Content-Type')?.includes('json') ? await readJson(c) : {})
    const job = await startJob(c.env, LOCATION_SYNC_JOB, await planLocationSync(c.get('db'), c.req.param('peer_id'), request))
    return c.json(jobAccepted(job), 202)
  })
  .get('/policies/:country_code/:party_id', async (c) => {
    const stored = await getPolicy(c.get('db'), partyInPath(c))
    return c.json(stored ? { ...stored.policy, version: stored.version } : { ...DEFAULT_POLICY, version: 0 })
  })
  .put('/policies/:country_code/:party_id', async (c) => {
    const policy = parseWith(SharingPolicy, await readJson(c))
    const { stored, job } = await applySharingPolicy(c.env, c.get('db'), partyInPath(c), policy)
    // Pulls see the new policy from now on; the pushes to peers run as a job (docs/jobs.md).
    return c.json({ ...stored.policy, version: stored.version, ...jobAccepted(job) }, 202)
  })
