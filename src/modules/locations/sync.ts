import { type Database } from '../../db/client'
import { databaseFor } from '../../db/shards'
import type { Env } from '../../env'
import { PermanentJobError, type JobKind } from '../../jobs/types'
import { OcpiError } from '../../ocpi/errors'
import { isSupportedVersion } from '../../ocpi/versions'
import { fromWireTolerant } from '../../ocpi/version-adapters'
import { ingestKey, ingestWarnings, type IngestWarning } from '../../ocpi/ingest'
import { replaceIngestWarningsStatement } from '../../db/ingest-warnings'
import { runBatch } from '../../db/batch'
import { ocpiRequest } from '../../peers/client'
import { firstPageUrl, nextPageAfter } from '../../peers/paged-pull'
import { getPeer } from '../../peers/store'
import { ownerOf211 } from '../../peers/one-party-connection'
import { requestingHostedParty, routingOf } from '../../peers/hub-routing'
import { listHostedParties } from '../../peers/parties'
import { representsAs } from '../../peers/routing'
import { type Location } from '../../ocpi/objects/location'
import { locationVersions } from '../../ocpi/objects/version-maps'
import { upsertReceivedLocations } from './store'

// Pull from a peer's locations Sender interface (B1.2-B1.4: NSPs, NAPs and aggregators that poll rather than take
// pushes, or any receiver doing a full sync after an outage). Every page is stored as received from that peer, with
// the same last_updated rule as a push. A CPO may have 300,000 locations: the pull runs as a background job, one page
// per step (docs/jobs.md).

export const LOCATION_SYNC_JOB = 'locations.sync'

export interface SyncResult {
  pages: number
  received: number
  stored: number
  /** Older than what a push already delivered: kept as it was. */
  unchanged: number
  /** Locations of parties the peer does not represent as CPO (the data owner, as on push): not stored. */
  not_represented: number
  /** Every object refused: a required field was wrong. */
  invalid: Array<{ id?: string; path?: string; message: string }>
  /** Every stored object that had invalid optional fields or list elements, and what was dropped from it. */
  dropped?: Array<{ id: string; fields: string[] }>
}

export interface LocationSyncState extends SyncResult {
  peer_id: string
  /** The page the next step fetches; null once the peer sent a page without a next link. */
  next_url: string | null
  /** The pages fetched last, so a Link that repeats one ends the pull. */
  recent?: string[]
  /** Why the peer's next link was not followed (src/peers/paged-pull.ts), when it was not. */
  stopped_by?: string
}

/** A peer we can pull locations from now; throws the management API's answer otherwise. */
async function syncablePeer(db: Database, peerId: string) {
  const peer = await getPeer(db, peerId)
  if (!peer) throw OcpiError.unknownObject(`peer ${peerId}`)
  if (peer.status !== 'CONNECTED' || !peer.version || !isSupportedVersion(peer.version) || !peer.outbound_token) {
    throw new OcpiError(2001, `Peer ${peerId} is not connected`, { http_status: 409 })
  }
  const endpoint = peer.endpoints.find((candidate) => candidate.identifier === 'locations' && candidate.role === 'SENDER')
  if (!endpoint) throw new OcpiError(2001, `Peer ${peerId} offers no locations Sender interface`, { http_status: 409 })
  return { peer, version: peer.version, token: peer.outbound_token, endpoint }
}

/** Checks the peer can be pulled from and returns the job's first state. */
export async function planLocationSync(db: Database, peerId: string, options: { date_from?: string; limit?: number } = {}): Promise<LocationSyncState> {
  const { endpoint } = await syncablePeer(db, peerId)
  return { peer_id: peerId, next_url: firstPageUrl(endpoint.url, options), pages: 0, received: 0, stored: 0, unchanged: 0, not_represented: 0, invalid: [], dropped: [] }
}

/** One page: fetched, validated in the peer's version, and stored in one round trip. */
export const locationSyncJob: JobKind<LocationSyncState> = {
  async step(env, state) {
    if (!state.next_url) return { state, done: true }
    const db = databaseFor(env)
    const { peer, version, token } = await syncablePeer(db, state.peer_id).catch((error: unknown) => {
      // Deleted, or no longer offering the interface: trying again will not help.
      if (error instanceof OcpiError && error.detail.http_status === 404) throw new PermanentJobError(error.message)
      throw error
    })
    const routing = routingOf(peer, { module: 'locations', kind: 'pull' }, requestingHostedParty(await listHostedParties(db), 'CPO'))
    const response = await ocpiRequest<unknown[]>({ method: 'GET', url: state.next_url, token, version, ...routing, timeoutMs: Number(env.OCPI_CLIENT_TIMEOUT_MS) || undefined })
    if (response.status_code !== 1000 || !Array.isArray(response.data)) {
      throw new OcpiError(3001, `Peer answered ${response.status_code} ${response.status_message ?? ''} on page ${state.pages + 1}`.trim())
    }
    const next: LocationSyncState = { ...state, invalid: [...state.invalid], dropped: [...(state.dropped ?? [])], pages: state.pages + 1, received: state.received + response.data.length }
    const represented: Location[] = []
    const warnings = new Map<Location, IngestWarning[]>()
    for (const item of response.data) {
      let location
      // A pull stores what is valid: an invalid optional part is dropped and reported, the object refused only for a
      // wrong required field (docs/interop.md, tolerant ingest).
      try {
        const read = fromWireTolerant(locationVersions, version, item, ownerOf211(peer, 'CPO'))
        location = read.object
        if (read.dropped.length > 0) next.dropped!.push({ id: location.id, fields: read.dropped })
        warnings.set(location, ingestWarnings(read.drops))
      } catch (error) {
        const detail = error instanceof OcpiError ? error : new OcpiError(2001, String(error))
        next.invalid.push({ id: (item as { id?: string })?.id, path: detail.detail.path, message: detail.message })
        continue
      }
      if (representsAs(peer.roles, location, 'CPO')) represented.push(location)
      else next.not_represented++
    }
    const stored = await upsertReceivedLocations(db, peer.id, represented)
    // What was dropped is kept with the object for the operator (src/ocpi/ingest.ts), a clean copy's warnings removed.
    await runBatch(db, represented.map((location) => replaceIngestWarningsStatement(db, {
      module: 'locations', key: ingestKey(location.country_code, location.party_id, location.id), peerId: peer.id, warnings: warnings.get(location) ?? [],
    })))
    next.stored += stored
    next.unchanged += represented.length - stored
    const after = nextPageAfter({ url: state.next_url, headers: response.headers, received: response.data.length, pages: next.pages, recent: state.recent })
    next.next_url = after.next_url
    next.recent = after.recent
    if (after.stopped_by) next.stopped_by = after.stopped_by
    return { state: next, done: next.next_url === null }
  },
  progress: ({ next_url: _next, recent: _recent, ...counts }) => counts,
}
