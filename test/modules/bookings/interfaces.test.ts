import { beforeAll, describe, expect, it } from 'vitest'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { hostCpo, putOwn, sampleLocation, uniqueParty, type Party } from '../locations/fixtures'

// mod_bookings (2.3.0 bookings release): the hosted CPO's Sender interface (booking requests, its bookings) and the
// eMSP's Receiver interface (the CPO's pushes), with ownership: a peer sees and changes only its own bookings.

const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
const period = (fromHours: number, toHours: number) => ({ start_from: inHours(fromHours), end_before: inHours(toHours) })
const to = (party: Party) => ({ 'OCPI-to-country-code': party.country_code, 'OCPI-to-party-id': party.party_id })
const roles = (role: 'CPO' | 'EMSP', party: Party) => [{ role, ...party, business_details: { name: party.party_id } }]

function bookingRequest(msp: Party, request_id: string, evse_uid: string, slot = period(24, 25), extra: Record<string, unknown> = {}) {
  return { ...msp, request_id, location_id: 'LOC1', evse_uid, period: slot, authorization_reference: `auth-${request_id}`, ...extra }
}

describe('Bookings Sender interface of a hosted CPO', () => {
  const cpo = uniqueParty('NL')
  const msp = uniqueParty('DE')
  const otherMsp = uniqueParty('DE')
  let peer: { id: string; token: string }
  let other: { id: string; token: string }
  const post = (token: string, body: unknown) =>
    ocpiFetch('/ocpi/2.3.0/sender/Booking', { token, method: 'POST', body, headers: to(cpo) }).then(async (r) => ({ http: r.status, body: await r.json<OcpiBody>() }))

  beforeAll(async () => {
    await hostCpo(cpo)
    await putOwn(sampleLocation(cpo, 'LOC1', {}, inHours(-1)))
    peer = await registeredPeer({ roles: roles('EMSP', msp), extensions: ['Booking'] })
    other = await registeredPeer({ roles: roles('EMSP', otherMsp), extensions: ['Booking'] })
  })

  it('reserves a free future slot and answers the Booking', async () => {
    const { http, body } = await post(peer.token, bookingRequest(msp, 'R1', 'LOC1-E1'))
    expect(http).toBe(200)
    expect(body.status_code).toBe(1000)
    expect(body.data).toMatchObject({ ...cpo, request_id: 'R1', location_id: 'LOC1', evse_uid: 'LOC1-E1', reservation_status: 'RESERVED' })
    expect(body.data.booking_requests).toHaveLength(1)
    expect(body.data.booking_requests[0].request_status).toBe('ACCEPTED')
  })

  it('rejects an overlapping slot on the same EVSE, and says why in the request status', async () => {
    const { body } = await post(other.token, bookingRequest(otherMsp, 'R2', 'LOC1-E1', period(24.5, 26)))
    expect(body.status_code).toBe(1000)
    expect(body.data.reservation_status).toBe('REJECTED')
    expect(body.data.booking_requests[0].request_status).toBe('DECLINED')
  })

  it('changes and cancels with the same request_id', async () => {
    const changed = await post(peer.token, bookingRequest(msp, 'R3', 'LOC1-E1', period(30, 31)))
    expect(changed.body.data.reservation_status).toBe('RESERVED')
    const moved = await post(peer.token, bookingRequest(msp, 'R3', 'LOC1-E1', period(32, 33)))
    expect(moved.body.data.id).toBe(changed.body.data.id)
    expect(moved.body.data.period).toEqual(period(32, 33))
    expect(moved.body.data.booking_requests.map((status: any) => status.request_status)).toEqual(['ACCEPTED', 'ACCEPTED'])
    const canceled = await post(peer.token, bookingRequest(msp, 'R3', 'LOC1-E1', period(32, 33), { canceled: { cancellation_reason: 'TRAFFIC', who_canceled: 'EMSP' } }))
    expect(canceled.body.data).toMatchObject({ id: changed.body.data.id, reservation_status: 'CANCELED', canceled: { cancellation_reason: 'TRAFFIC', who_canceled: 'EMSP' } })
    // The freed slot can be booked again.
    expect((await post(other.token, bookingRequest(otherMsp, 'R4', 'LOC1-E1', period(32, 33)))).body.data.reservation_status).toBe('RESERVED')
  })

  it('books only at locations the CPO\'s sharing policy shows the peer: a hidden one is REJECTED like an unknown one', async () => {
    const hiddenCpo = uniqueParty('NL')
    await hostCpo(hiddenCpo)
    await putOwn(sampleLocation(hiddenCpo, 'LOC1', {}, inHours(-1)))
    expect((await adminFetch(`/policies/${hiddenCpo.country_code}/${hiddenCpo.party_id}`, { method: 'PUT', body: { default: 'all', peers: { [peer.id]: 'none' } } })).status).toBe(202)
    const request = (token: string, id: string) => ocpiFetch('/ocpi/2.3.0/sender/Booking', { token, method: 'POST', body: bookingRequest(id === 'H1' ? msp : otherMsp, id, 'LOC1-E1', period(30, 31)), headers: to(hiddenCpo) })
    const hidden = await (await request(peer.token, 'H1')).json<OcpiBody>()
    expect(hidden.data).toMatchObject({ reservation_status: 'REJECTED', booking_requests: [{ request_status: 'DECLINED' }] })
    const shown = await (await request(other.token, 'H2')).json<OcpiBody>()
    expect(shown.data).toMatchObject({ reservation_status: 'RESERVED' })
  })

  it('refuses bad input with 2001 and the field path, storing nothing', async () => {
    const { body } = await post(peer.token, { ...bookingRequest(msp, 'R5', 'LOC1-E1'), period: { start_from: 'tomorrow' } })
    expect(body.status_code).toBe(2001)
    expect(body.status_message).toContain('period')
    const list = await ocpiFetch('/ocpi/2.3.0/sender/Booking', { token: peer.token, headers: to(cpo) }).then((r) => r.json<OcpiBody>())
    expect(list.data.map((booking: any) => booking.request_id)).not.toContain('R5')
  })

  it('refuses a request for an eMSP party the peer does not represent', async () => {
    const { body } = await post(peer.token, bookingRequest(otherMsp, 'R6', 'LOC1-E1', period(40, 41)))
    expect(body.status_code).toBe(2001)
  })

  it('lists to each peer only the bookings of its own eMSP parties', async () => {
    const mine = await ocpiFetch('/ocpi/2.3.0/sender/Booking', { token: peer.token, headers: to(cpo) }).then((r) => r.json<OcpiBody>())
    expect(mine.data.map((booking: any) => booking.request_id).sort()).toEqual(['R1', 'R3'])
    const theirs = await ocpiFetch('/ocpi/2.3.0/sender/Booking', { token: other.token, headers: to(cpo) }).then((r) => r.json<OcpiBody>())
    expect(theirs.data.map((booking: any) => booking.request_id).sort()).toEqual(['R2', 'R4'])
  })

  it('is served only in 2.3.0 and only to peers that agreed to it', async () => {
    const stranger = await registeredPeer({ roles: roles('EMSP', uniqueParty('DE')) })
    expect((await ocpiFetch('/ocpi/2.3.0/sender/Booking', { token: stranger.token, headers: to(cpo) })).status).toBe(404)
    const old = await registeredPeer({ roles: roles('EMSP', uniqueParty('DE')), version: '2.2.1', extensions: ['Booking'] })
    expect((await ocpiFetch('/ocpi/2.2.1/sender/Booking', { token: old.token, headers: to(cpo) })).status).toBe(404)
  })
})

describe('Bookings Receiver interface of a hosted eMSP', () => {
  const msp = uniqueParty('DE')
  const cpo = uniqueParty('NL')
  const otherCpo = uniqueParty('NL')
  let peer: { id: string; token: string }
  let other: { id: string; token: string }

  const booking = (id: string, last_updated = inHours(0)) => ({
    id, ...cpo, request_id: `req-${id}`, location_id: 'LOC9', evse_uid: 'E1', period: period(24, 25), reservation_status: 'RESERVED',
    authorization_reference: 'auth-1', booking_terms: { supported_access_methods: ['TOKEN'], change_until_minutes: 0, cancel_until_minutes: 0 },
    booking_requests: [{ request_status: 'ACCEPTED', request_received: last_updated,
      booking_request: { ...msp, request_id: `req-${id}`, location_id: 'LOC9', evse_uid: 'E1', period: period(24, 25), authorization_reference: 'auth-1' } }],
    last_updated,
  })

  beforeAll(async () => {
    const response = await adminFetch('/parties', { method: 'POST', body: { ...msp, role: 'EMSP', business_details: { name: 'MSP' } } })
    expect(response.status).toBe(201)
    peer = await registeredPeer({ roles: roles('CPO', cpo), extensions: ['Booking'] })
    other = await registeredPeer({ roles: roles('CPO', otherCpo), extensions: ['Booking'] })
  })

  it('stores a pushed booking, applies a PATCH and serves it back to its CPO', async () => {
    const url = `/ocpi/2.3.0/receiver/Booking/${cpo.country_code}/${cpo.party_id}/B1`
    expect((await ocpiFetch(url, { token: peer.token, method: 'PUT', body: booking('B1') }).then((r) => r.json<OcpiBody>())).status_code).toBe(1000)
    const patch = { reservation_status: 'NO_SHOW', last_updated: inHours(0.1) }
    expect((await ocpiFetch(url, { token: peer.token, method: 'PATCH', body: patch }).then((r) => r.json<OcpiBody>())).status_code).toBe(1000)
    const read = await ocpiFetch(url, { token: peer.token }).then((r) => r.json<OcpiBody>())
    expect(read.data.reservation_status).toBe('NO_SHOW')
    const listed = await adminFetch(`/bookings?peer_id=${peer.id}`).then((r) => r.json<any[]>())
    expect(listed.map((b) => b.id)).toEqual(['B1'])
  })

  it("hides a booking from another CPO: its path party is refused, and an unknown booking is 2003/404", async () => {
    const foreign = await ocpiFetch(`/ocpi/2.3.0/receiver/Booking/${cpo.country_code}/${cpo.party_id}/B1`, { token: other.token })
    expect((await foreign.json<OcpiBody>()).status_code).toBe(2001)
    const unknown = await ocpiFetch(`/ocpi/2.3.0/receiver/Booking/${otherCpo.country_code}/${otherCpo.party_id}/B1`, { token: other.token })
    expect(unknown.status).toBe(404)
    expect((await unknown.json<OcpiBody>()).status_code).toBe(2003)
  })

  it('refuses a booking whose id differs from the URL, or for an eMSP not hosted here, with the path', async () => {
    const url = `/ocpi/2.3.0/receiver/Booking/${cpo.country_code}/${cpo.party_id}/B2`
    const wrongId = await ocpiFetch(url, { token: peer.token, method: 'PUT', body: booking('B3') }).then((r) => r.json<OcpiBody>())
    expect(wrongId).toMatchObject({ status_code: 2001 })
    expect(wrongId.status_message).toContain('id')
    const notOurs = booking('B2')
    notOurs.booking_requests[0]!.booking_request.party_id = 'ZZZ'
    const refused = await ocpiFetch(url, { token: peer.token, method: 'PUT', body: notOurs }).then((r) => r.json<OcpiBody>())
    expect(refused.status_code).toBe(2001)
    expect(refused.status_message).toContain('booking_requests.0.booking_request.party_id')
  })
})
