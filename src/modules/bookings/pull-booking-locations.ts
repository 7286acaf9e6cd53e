import type { Database } from '../../db/client'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import { OcpiError } from '../../ocpi/errors'
import { BookingLocation } from '../../ocpi/objects/booking'
import { nextPageAfter } from '../../peers/paged-pull'
import { requestPeerModule } from '../../peers/module-request'
import { getPeer } from '../../peers/store'
import { BOOKINGS_MODULE } from './module-id'
import { saveReceivedBookingLocation } from './booking-location-store'

/** The most pages one pull of BookingLocations fetches from a peer. */
export const MAX_BOOKING_LOCATION_PAGES = 50

export interface BookingLocationPull { received: number; stored: number; refused: { id?: string; path: string }[]; stopped_by?: string }

/**
 * eMSP side: pulls a peer CPO's BookingLocations ("GET BookingLocations", following Link) and keeps those of the
 * parties the peer holds; an object that is not a valid BookingLocation, or of another party, is left out and reported.
 */
export async function pullBookingLocations(db: Database, env: Env, peerId: string, cpo?: PartyRef): Promise<BookingLocationPull> {
  const peer = await getPeer(db, peerId)
  if (!peer) throw OcpiError.unknownObject(`peer ${peerId}`)
  const held = new Set(peer.roles.filter((role) => role.role === 'CPO' || role.role === 'HUB').map((role) => `${role.country_code}*${role.party_id}`.toUpperCase()))
  const isHub = peer.roles.some((role) => role.role === 'HUB')
  const result: BookingLocationPull = { received: 0, stored: 0, refused: [] }
  let url: string | undefined
  let recent: string[] = []
  for (let pages = 1; pages <= MAX_BOOKING_LOCATION_PAGES; pages++) {
    const response = await requestPeerModule<unknown>(env, peer, { module: BOOKINGS_MODULE, role: 'SENDER', method: 'GET', path: url ? undefined : ['booking_locations'], url, to: cpo })
    if (response.status_code !== 1000 || !Array.isArray(response.data)) throw new OcpiError(3001, `The CPO answered ${response.status_code} ${response.status_message ?? ''}`.trim())
    for (const object of response.data) {
      result.received++
      const parsed = BookingLocation.safeParse(object)
      if (!parsed.success) {
        result.refused.push({ path: parsed.error.issues[0]!.path.join('.') })
        continue
      }
      if (!isHub && !held.has(`${parsed.data.country_code}*${parsed.data.party_id}`.toUpperCase())) {
        result.refused.push({ id: parsed.data.id, path: 'country_code' })
        continue
      }
      await saveReceivedBookingLocation(db, peer.id, parsed.data)
      result.stored++
    }
    const next = nextPageAfter({ url: response.url ?? '', headers: response.headers, received: response.data.length, pages, recent })
    if (next.stopped_by) result.stopped_by = next.stopped_by
    if (!next.next_url) return result
    url = next.next_url
    recent = next.recent
  }
  return { ...result, stopped_by: 'page limit' }
}
