import type { Database } from '../../db/client'
import type { Env } from '../../env'
import { OcpiError } from '../../ocpi/errors'
import { isSupportedVersion } from '../../ocpi/versions'
import { fromWire } from '../../ocpi/version-adapters'
import { ocpiRequest } from '../../peers/client'
import { getPeer, type Peer } from '../../peers/store'
import { locationVersions } from './schema'
import { upsertLocation } from './store'

// Pull from a peer's locations Sender interface (B1.2-B1.4: NSPs, NAPs and aggregators that poll rather than take
// pushes, or any receiver doing a full sync after an outage). Every page is stored as received from that peer, with
// the same last_updated rule as a push.

export interface SyncResult {
  pages: number
  received: number
  stored: number
  /** Older than what a push already delivered: kept as it was. */
  unchanged: number
  /** Locations of parties the peer does not represent: not stored. */
  not_represented: number
  invalid: Array<{ id?: string; path?: string; message: string }>
}

const MAX_PAGES = 10_000

const represents = (peer: Peer, party: { country_code: string; party_id: string }) =>
  peer.roles.some((role) => role.role === 'HUB') ||
  peer.roles.some((role) => role.country_code.toUpperCase() === party.country_code.toUpperCase() && role.party_id.toUpperCase() === party.party_id.toUpperCase())

function nextLink(headers: Headers): string | undefined {
  return /<([^>]+)>\s*;\s*rel="?next"?/i.exec(headers.get('Link') ?? '')?.[1]
}

export async function syncLocationsFromPeer(env: Env, db: Database, peerId: string, options: { date_from?: string; limit?: number } = {}): Promise<SyncResult> {
  const peer = await getPeer(db, peerId)
  if (!peer) throw OcpiError.unknownObject(`peer ${peerId}`)
  if (peer.status !== 'CONNECTED' || !peer.version || !isSupportedVersion(peer.version) || !peer.outbound_token) {
    throw new OcpiError(2001, `Peer ${peerId} is not connected`, { http_status: 409 })
  }
  const version = peer.version
  const endpoint = peer.endpoints.find((candidate) => candidate.identifier === 'locations' && candidate.role === 'SENDER')
  if (!endpoint) throw new OcpiError(2001, `Peer ${peerId} offers no locations Sender interface`, { http_status: 409 })

  const first = new URL(endpoint.url)
  if (options.date_from) first.searchParams.set('date_from', options.date_from)
  if (options.limit) first.searchParams.set('limit', String(options.limit))
  const result: SyncResult = { pages: 0, received: 0, stored: 0, unchanged: 0, not_represented: 0, invalid: [] }
  let url: string | undefined = first.toString()
  while (url && result.pages < MAX_PAGES) {
    const response = await ocpiRequest<unknown[]>({ method: 'GET', url, token: peer.outbound_token, timeoutMs: Number(env.OCPI_CLIENT_TIMEOUT_MS) || undefined })
    if (response.status_code !== 1000 || !Array.isArray(response.data)) {
      throw new OcpiError(3001, `Peer answered ${response.status_code} ${response.status_message ?? ''} on page ${result.pages + 1}`.trim())
    }
    result.pages++
    for (const item of response.data) {
      result.received++
      let location
      try {
        location = fromWire(locationVersions, version, item)
      } catch (error) {
        if (result.invalid.length < 20) {
          const detail = error instanceof OcpiError ? error : new OcpiError(2001, String(error))
          result.invalid.push({ id: (item as { id?: string })?.id, path: detail.detail.path, message: detail.message })
        }
        continue
      }
      if (!represents(peer, location)) result.not_represented++
      else if (await upsertLocation(db, peer.id, location)) result.stored++
      else result.unchanged++
    }
    url = nextLink(response.headers)
  }
  return result
}
