import { beforeAll, describe, expect, it } from 'vitest'
import { partyId } from './driver-records'
import { a, b, grantsOf, unique } from './harness'

// Bookings (B6.3, 2.3.0 bookings release) between two real platforms: b's eMSP books a future time slot on an EVSE of
// a's hosted CPO, a decides at once (RESERVED), a second, overlapping booking is REJECTED, and b cancels the first.
// Simultaneous requests for one slot reserve it once; a charge started in a booked slot fulfils the booking, and its
// CDR at b names the booking (booking_id).

const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z')

describe('Bookings over 2.3.0: eMSP platform b books a time slot at CPO platform a', () => {
  const cpo = { country_code: 'NL', party_id: partyId() }
  const emsp = { country_code: 'DE', party_id: partyId() }
  const locationId = unique('BLOC')
  const evseUid = `${locationId}-E1`
  const slot = { start_from: inHours(48), end_before: inHours(49) }
  let aOnB: string

  beforeAll(async () => {
    await a.admin('POST', '/parties', { ...cpo, role: 'CPO', business_details: { name: 'Booking CPO' } })
    await b.admin('POST', '/parties', { ...emsp, role: 'EMSP', business_details: { name: 'Booking eMSP' } })
    const lastUpdated = inHours(-1)
    await a.admin('PUT', `/locations/${cpo.country_code}/${cpo.party_id}/${locationId}`, {
      ...cpo, id: locationId, publish: true, address: 'Stationsplein 1', city: 'Amsterdam', postal_code: '1012 AB', country: 'NLD',
      coordinates: { latitude: '52.378901', longitude: '4.900272' }, time_zone: 'Europe/Amsterdam', last_updated: lastUpdated,
      evses: [{ uid: evseUid, evse_id: `NL*${cpo.party_id}*E1`, status: 'AVAILABLE', capabilities: ['RESERVABLE'], last_updated: lastUpdated,
        connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, last_updated: lastUpdated }] }],
    })
    const invite = await a.admin('POST', '/peers/invite', { name: 'b (bookings)', extensions: ['Booking'], grants: await grantsOf(b) })
    aOnB = (await b.admin('POST', '/peers/connect', { versions_url: invite.versions_url, token_a: invite.token_a, version: '2.3.0', extensions: ['Booking'], grants: await grantsOf(a) })).peer_id
  })

  it('books a free future slot, sees it RESERVED, then cancels it', async () => {
    const booked = await b.adminRaw('POST', `/bookings/${aOnB}`, { ...emsp, location_id: locationId, evse_uid: evseUid, period: slot, to: cpo })
    expect(booked.status, JSON.stringify(booked.body)).toBe(201)
    expect(booked.body).toMatchObject({ ...cpo, location_id: locationId, evse_uid: evseUid, period: slot, reservation_status: 'RESERVED' })
    const id = booked.body.id
    expect(await b.admin('GET', `/bookings?peer_id=${aOnB}`)).toEqual([expect.objectContaining({ id, reservation_status: 'RESERVED' })])
    expect(await a.admin('GET', '/bookings?source=own')).toEqual(expect.arrayContaining([expect.objectContaining({ id, reservation_status: 'RESERVED' })]))

    const overlapping = await b.admin('POST', `/bookings/${aOnB}`, { ...emsp, location_id: locationId, evse_uid: evseUid, period: { start_from: inHours(48.5), end_before: inHours(50) }, to: cpo })
    expect(overlapping).toMatchObject({ reservation_status: 'REJECTED', booking_requests: [expect.objectContaining({ request_status: 'DECLINED' })] })

    const canceled = await b.admin('POST', `/bookings/${aOnB}/${cpo.country_code}/${cpo.party_id}/${id}/cancel`, { cancellation_reason: 'TRAFFIC' })
    expect(canceled).toMatchObject({ id, reservation_status: 'CANCELED', canceled: { cancellation_reason: 'TRAFFIC', who_canceled: 'EMSP' } })
    expect(await b.admin('GET', `/bookings/${aOnB}/${cpo.country_code}/${cpo.party_id}/${id}`)).toMatchObject({ reservation_status: 'CANCELED' })
    expect(await a.admin('GET', '/bookings?source=own')).toEqual(expect.arrayContaining([expect.objectContaining({ id, reservation_status: 'CANCELED' })]))
  })

  it('a cancels a booking it holds: b receives the CANCELED booking, cancelled by the CPO, through a\'s push', async () => {
    const later = { start_from: inHours(72), end_before: inHours(73) }
    const booked = await b.admin('POST', `/bookings/${aOnB}`, { ...emsp, location_id: locationId, evse_uid: evseUid, period: later, to: cpo })
    expect(booked.reservation_status).toBe('RESERVED')
    const canceled = await a.admin('POST', `/own-bookings/${cpo.country_code}/${cpo.party_id}/${booked.id}/cancel`, { cancellation_reason: 'BROKEN_CHARGER' })
    expect(canceled).toMatchObject({ reservation_status: 'CANCELED', canceled: { who_canceled: 'CPO' } })
    await expect.poll(async () => (await b.admin('GET', `/bookings/${aOnB}/${cpo.country_code}/${cpo.party_id}/${booked.id}`)).reservation_status, { timeout: 30_000, interval: 250 })
      .toBe('CANCELED')
    expect(await b.admin('GET', `/bookings/${aOnB}/${cpo.country_code}/${cpo.party_id}/${booked.id}`)).toMatchObject({ canceled: { cancellation_reason: 'BROKEN_CHARGER', who_canceled: 'CPO' } })
  })

  it('b pulls a\'s BookingLocations and sees a Calendar slot taken after a booking', async () => {
    const day = Math.floor(Date.now() / 86_400_000) * 86_400_000 + 3 * 86_400_000
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const taken = { start_from: iso(day + 10 * 3_600_000), end_before: iso(day + 11 * 3_600_000) }
    const calendarOfDay = async () => {
      const pulled = await b.admin('POST', `/booking-locations/${aOnB}/pull`)
      expect(pulled.stored, JSON.stringify(pulled)).toBeGreaterThan(0)
      const received = await b.admin('GET', `/booking-locations?peer_id=${aOnB}&limit=1000`)
      const location = received.find((candidate: any) => candidate.party_id === cpo.party_id && candidate.id === evseUid)
      expect(location).toMatchObject({ ...cpo, location_id: locationId, evse_uid: evseUid })
      return location.calendars.find((calendar: any) => calendar.id === iso(day).slice(0, 10))
    }
    const covers = (calendar: any) => calendar.available_timeslots.some((slot: any) => slot.start_from < taken.end_before && slot.end_before > taken.start_from)
    expect(covers(await calendarOfDay())).toBe(true)
    const booked = await b.admin('POST', `/bookings/${aOnB}`, { ...emsp, location_id: locationId, evse_uid: evseUid, period: taken, to: cpo })
    expect(booked.reservation_status).toBe('RESERVED')
    const after = await calendarOfDay()
    expect(covers(after)).toBe(false)
    expect(after.available_timeslots).toContainEqual(expect.objectContaining({ start_from: taken.end_before }))
  })

  it('of simultaneous requests from b for one slot, a reserves exactly one and rejects the others', async () => {
    const contested = { start_from: inHours(96), end_before: inHours(97) }
    const answers = await Promise.all(Array.from({ length: 6 }, (_, index) => b.adminRaw('POST', `/bookings/${aOnB}`, {
      ...emsp, location_id: locationId, evse_uid: evseUid, to: cpo,
      period: index % 2 ? contested : { start_from: inHours(96.5), end_before: inHours(97.5) },
    })))
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201))
    const statuses = answers.map((answer) => answer.body.reservation_status)
    expect(statuses.filter((status) => status === 'RESERVED')).toHaveLength(1)
    expect(statuses.filter((status) => status === 'REJECTED')).toHaveLength(5)
    const held = (await a.admin('GET', '/bookings?source=own&limit=1000')).filter((booking: any) =>
      booking.evse_uid === evseUid && booking.reservation_status === 'RESERVED' && booking.period.start_from >= contested.start_from && booking.period.start_from < contested.end_before)
    expect(held.map((booking: any) => booking.id)).toEqual([answers.find((answer) => answer.body.reservation_status === 'RESERVED')!.body.id])
  })

  it('a charge started in the booked slot fulfils the booking, and the CDR b receives names it in booking_id', async () => {
    const poll = { timeout: 30_000, interval: 250 }
    const start = Math.ceil(Date.now() / 1000) * 1000 + 4000
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const booked = await b.admin('POST', `/bookings/${aOnB}`, { ...emsp, location_id: locationId, evse_uid: evseUid, period: { start_from: iso(start), end_before: iso(start + 3_600_000) }, to: cpo })
    expect(booked.reservation_status).toBe('RESERVED')
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + 1000 - Date.now())))
    const token = { ...emsp, uid: unique('BOOKED'), type: 'APP_USER', contract_id: `${emsp.country_code}${emsp.party_id}C${unique('')}`, issuer: 'E2E eMSP', valid: true, whitelist: 'ALLOWED', last_updated: new Date().toISOString() }
    const send = async (command: string, body: unknown) => {
      const response = await b.adminRaw('POST', `/commands/${aOnB}/${command}?to=${cpo.country_code}*${cpo.party_id}`, body)
      expect(response.status, JSON.stringify(response.body)).toBe(202)
      return response.body.command_id as string
    }
    const finalState = async (id: string) => {
      const view = (await b.adminRaw('GET', `/commands/${id}`)).body
      return view?.command?.final ? view.command.state : undefined
    }
    const started = await send('START_SESSION', { token, location_id: locationId, evse_uid: evseUid, connector_id: '1' })
    await expect.poll(() => finalState(started), poll).toBe('ACCEPTED')
    await expect.poll(async () => (await b.admin('GET', `/bookings/${aOnB}/${cpo.country_code}/${cpo.party_id}/${booked.id}`)).reservation_status, poll).toBe('FULFILLED')
    const session = async () => (await b.admin('GET', '/sessions?source=received&limit=1000')).find((candidate: any) => candidate.cdr_token.uid === token.uid)
    await expect.poll(async () => (await session())?.status, poll).toBe('ACTIVE')
    const { id: sessionId } = await session()
    const stopped = await send('STOP_SESSION', { session_id: sessionId })
    await expect.poll(() => finalState(stopped), poll).toBe('ACCEPTED')
    await expect.poll(async () => (await b.adminRaw('GET', `/cdrs/${cpo.country_code}/${cpo.party_id}/${sessionId}?source=received`)).body, poll)
      .toMatchObject({ session_id: sessionId, booking_id: booked.id, cdr_location: { evse_uid: evseUid } })
  })
})
