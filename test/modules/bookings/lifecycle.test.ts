import { env } from 'cloudflare:workers'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { markOwnNoShows } from '../../../src/modules/bookings/lifecycle'
import { invalidatePushPeers } from '../../../src/push/publish'
import { adminFetch, db, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { deliverQueued, fakePeer, purgeTestOutboxes, type ReceivedPush } from '../../push/fixtures'
import { hostCpo, putOwn, sampleLocation, uniqueParty, type Party } from '../locations/fixtures'

// A hosted CPO's bookings after the eMSP's requests (mod_bookings, "Booking Lifecycle"): cancelled by the CPO, NO_SHOW
// after the terms' noshow_timeout, FULFILLED by a session; each change pushed to the eMSP's Bookings Receiver.

const iso = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z')
const to = (party: Party) => ({ 'OCPI-to-country-code': party.country_code, 'OCPI-to-party-id': party.party_id })

let restore: (() => void) | undefined
afterEach(async () => {
  restore?.()
  restore = undefined
  await purgeTestOutboxes()
})

describe('a hosted CPO\'s booking after it was made', () => {
  const cpo = uniqueParty('NL')
  const msp = uniqueParty('DE')
  let peer: { id: string; token: string }

  beforeAll(async () => {
    await hostCpo(cpo)
    await putOwn(sampleLocation(cpo, 'LOC1', {}, iso(Date.now() - 3_600_000)))
    peer = await registeredPeer({
      roles: [{ role: 'EMSP', ...msp, business_details: { name: 'MSP' } }], extensions: ['Booking'],
      fields: { endpoints: [
        { identifier: 'Booking', role: 'RECEIVER', url: 'https://msp.example/ocpi/2.3.0/receiver/Booking' },
        { identifier: 'cdrs', role: 'RECEIVER', url: 'https://msp.example/ocpi/2.3.0/receiver/cdrs' },
      ] },
    })
    invalidatePushPeers()
  })

  const book = async (requestId: string, startInMinutes: number, tokens?: Record<string, string>[]) => {
    const start = Date.now() + startInMinutes * 60_000
    const body = { ...msp, request_id: requestId, location_id: 'LOC1', evse_uid: 'LOC1-E1', period: { start_from: iso(start), end_before: iso(start + 3_600_000) }, authorization_reference: `auth-${requestId}`, ...(tokens && { tokens }) }
    const answer = await (await ocpiFetch('/ocpi/2.3.0/sender/Booking', { token: peer.token, method: 'POST', body, headers: to(cpo) })).json<OcpiBody>()
    expect(answer.data.reservation_status).toBe('RESERVED')
    return { id: answer.data.id as string, start }
  }
  const pushedTo = async (bookingId: string, received: ReceivedPush[]) => {
    await deliverQueued(peer.id)
    return received.filter((push) => push.method === 'PUT' && push.url.endsWith(`/${cpo.country_code}/${cpo.party_id}/${bookingId}`))
  }

  it('the CPO cancels it: CANCELED by the CPO, pushed to the eMSP; a second cancellation finds nothing to cancel', async () => {
    const { id } = await book('L1', 24 * 60)
    const peerSide = fakePeer()
    restore = peerSide.restore
    const cancel = await adminFetch(`/own-bookings/${cpo.country_code}/${cpo.party_id}/${id}/cancel`, { method: 'POST', body: { cancellation_reason: 'BROKEN_CHARGER' } })
    expect(cancel.status).toBe(200)
    expect(await cancel.json<any>()).toMatchObject({ reservation_status: 'CANCELED', canceled: { cancellation_reason: 'BROKEN_CHARGER', who_canceled: 'CPO' } })
    const [pushed] = await pushedTo(id, peerSide.received)
    expect(pushed?.body).toMatchObject({ id, reservation_status: 'CANCELED', canceled: { who_canceled: 'CPO' } })
    expect(pushed?.headers.get('OCPI-to-party-id')).toBe(msp.party_id)
    expect((await adminFetch(`/own-bookings/${cpo.country_code}/${cpo.party_id}/${id}/cancel`, { method: 'POST', body: {} })).status).toBe(404)
  })

  it('NO_SHOW once noshow_timeout minutes after the start passed without a session, not before', async () => {
    const { id, start } = await book('L2', 2 * 24 * 60)
    const peerSide = fakePeer()
    restore = peerSide.restore
    await markOwnNoShows(env, db(), start + 14 * 60_000)
    expect(await pushedTo(id, peerSide.received)).toEqual([])
    expect(await markOwnNoShows(env, db(), start + 16 * 60_000)).toBeGreaterThanOrEqual(1)
    const [pushed] = await pushedTo(id, peerSide.received)
    expect(pushed?.body).toMatchObject({ id, reservation_status: 'NO_SHOW' })
    const own = await (await adminFetch('/bookings?source=own&limit=1000')).json<any[]>()
    expect(own.find((booking) => booking.id === id)?.reservation_status).toBe('NO_SHOW')
  })

  it('FULFILLED by a session the booked token starts on the EVSE within the slot; the session\'s CDR names the booking', async () => {
    const { id, start } = await book('L3', 3 * 24 * 60, [{ ...msp, uid: 'BOOKED-UID', type: 'RFID', contract_id: 'C1' }])
    const peerSide = fakePeer()
    restore = peerSide.restore
    const started = await adminFetch(`/csms/sessions/${cpo.country_code}/${cpo.party_id}/BS1/start`, { method: 'POST', body: {
      start_date_time: iso(start + 60_000), kwh: 0, cdr_token: { ...msp, uid: 'BOOKED-UID', type: 'RFID', contract_id: 'C1' }, auth_method: 'WHITELIST',
      location_id: 'LOC1', evse_uid: 'LOC1-E1', connector_id: '1', currency: 'EUR', status: 'ACTIVE',
    } })
    expect(started.status, await started.clone().text()).toBe(201)
    const [pushed] = await pushedTo(id, peerSide.received)
    expect(pushed?.body).toMatchObject({ id, reservation_status: 'FULFILLED' })
    // The 2.3.0 bookings release's CDR.booking_id: "Unique ID of the Booking for which this cdr can also be sent".
    expect((await adminFetch(`/csms/sessions/${cpo.country_code}/${cpo.party_id}/BS1/stop`, { method: 'POST', body: { timestamp: iso(start + 30 * 60_000) } })).status).toBe(200)
    expect(await (await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/BS1?source=own`)).json<any>()).toMatchObject({ session_id: 'BS1', booking_id: id })
    await deliverQueued(peer.id)
    const cdr = peerSide.received.find((push) => push.method === 'POST' && push.url.includes('/receiver/cdrs'))
    expect(cdr?.body).toMatchObject({ id: 'BS1', booking_id: id })
  })

  it('a session without a booking has a CDR without booking_id', async () => {
    const at = Date.now() + 10 * 24 * 3_600_000
    const started = await adminFetch(`/csms/sessions/${cpo.country_code}/${cpo.party_id}/BS2/start`, { method: 'POST', body: {
      start_date_time: iso(at), kwh: 0, cdr_token: { ...msp, uid: 'OTHER-UID', type: 'RFID', contract_id: 'C2' }, auth_method: 'WHITELIST',
      location_id: 'LOC1', evse_uid: 'LOC1-E1', connector_id: '1', currency: 'EUR', status: 'ACTIVE',
    } })
    expect(started.status).toBe(201)
    expect((await adminFetch(`/csms/sessions/${cpo.country_code}/${cpo.party_id}/BS2/stop`, { method: 'POST', body: { timestamp: iso(at + 60_000) } })).status).toBe(200)
    expect(await (await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/BS2?source=own`)).json<any>()).not.toHaveProperty('booking_id')
  })
})
