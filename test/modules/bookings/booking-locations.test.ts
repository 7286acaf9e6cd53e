import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { bookingLocationShapes, bookingLocationsOf, freeSlots, hasTimeslotIn, type CalendarBooking } from '../../../src/modules/bookings/booking-locations'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { invalidatePushPeers, peerOutbox } from '../../../src/push/publish'
import { deliverQueued, fakePeer, purgeTestOutboxes } from '../../push/fixtures'
import { finishJob } from '../../jobs/fixtures'
import { hostCpo, putOwn, sampleEvse, sampleLocation, uniqueParty, type Party } from '../locations/fixtures'

// mod_bookings, "GET BookingLocations" and "GET BookingLocation or Calendar": a hosted CPO's BookingLocations, one per
// bookable EVSE, with a Calendar per day of what its bookings leave free.

const HOUR = 3_600_000
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
const NOW = Date.parse('2026-06-01T09:30:00Z')
const to = (party: Party) => ({ 'OCPI-to-country-code': party.country_code, 'OCPI-to-party-id': party.party_id })
const roles = (role: 'CPO' | 'EMSP', party: Party) => [{ role, ...party, business_details: { name: party.party_id } }]

describe('bookingLocationsOf', () => {
  const cpo = { country_code: 'NL', party_id: 'BLX' }
  const booking = (fromHours: number, toHours: number, reservation_status: CalendarBooking['reservation_status'] = 'RESERVED'): CalendarBooking => ({
    location_id: 'LOC1', evse_uid: 'LOC1-E1', reservation_status, last_updated: '2026-06-01T08:00:00Z',
    period: { start_from: iso(NOW + fromHours * HOUR), end_before: iso(NOW + toHours * HOUR) },
  })

  it('subtracts half-open held periods from a range', () => {
    expect(freeSlots(0, 10, [[2, 4], [3, 5], [8, 12]])).toEqual([[0, 2], [5, 8]])
    expect(freeSlots(0, 10, [[0, 10]])).toEqual([])
    expect(freeSlots(0, 10, [])).toEqual([[0, 10]])
  })

  it('derives one BookingLocation per bookable EVSE, with a Calendar per day that has free time', () => {
    const location = sampleLocation(cpo, 'LOC1', {}, '2026-05-01T00:00:00Z')
    location.evses!.push({ ...location.evses![0]!, uid: 'LOC1-E2', status: 'OUTOFORDER' })
    const [only, ...rest] = bookingLocationsOf(location, [], NOW)
    expect(rest).toEqual([])
    expect(only).toMatchObject({ ...cpo, id: 'LOC1-E1', location_id: 'LOC1', evse_uid: 'LOC1-E1', last_updated: '2026-05-01T00:00:00Z' })
    expect(only!.calendars).toHaveLength(7)
    // Today's free time starts at the current hour.
    expect(only!.calendars![0]).toMatchObject({ id: '2026-06-01', begin_from: '2026-06-01T00:00:00Z', end_before: '2026-06-02T00:00:00Z',
      available_timeslots: [{ start_from: '2026-06-01T09:00:00Z', end_before: '2026-06-02T00:00:00Z' }] })
  })

  it('gives as shapes the BookingLocations without Calendars and last_updated, in the same member order', () => {
    const location = sampleLocation(cpo, 'LOC1', {}, '2026-05-01T00:00:00Z')
    location.evses!.push({ ...location.evses![0]!, uid: 'LOC1-E2', status: 'OUTOFORDER' }, { ...location.evses![0]!, uid: 'LOC1-E3' })
    const withoutTimes = bookingLocationsOf(location, [booking(1, 2)], NOW).map(({ calendars: _c, last_updated: _u, ...rest }) => JSON.stringify(rest))
    expect(bookingLocationShapes(location)).toEqual(withoutTimes)
    expect(withoutTimes).toHaveLength(2)
  })

  it('leaves a held slot out of the Calendar and moves its last_updated; a canceled booking frees the slot', () => {
    const location = sampleLocation(cpo, 'LOC1', {}, '2026-05-01T00:00:00Z')
    const [held] = bookingLocationsOf(location, [booking(2.5, 4.5)], NOW)
    expect(held!.calendars![0]!.available_timeslots).toEqual([
      { start_from: '2026-06-01T09:00:00Z', end_before: '2026-06-01T12:00:00Z' },
      { start_from: '2026-06-01T14:00:00Z', end_before: '2026-06-02T00:00:00Z' },
    ])
    expect(held!.calendars![0]!.last_updated).toBe('2026-06-01T08:00:00Z')
    expect(held!.calendars![1]!.last_updated).toBe('2026-05-01T00:00:00Z')
    expect(held!.last_updated).toBe('2026-06-01T08:00:00Z')
    const [freed] = bookingLocationsOf(location, [booking(2.5, 4.5, 'CANCELED')], NOW)
    expect(freed!.calendars![0]!.available_timeslots).toHaveLength(1)
    expect(freed!.last_updated).toBe('2026-06-01T08:00:00Z')
  })
})

describe('hasTimeslotIn', () => {
  const slot = { start_from: '2026-06-01T10:00:00Z', end_before: '2026-06-01T11:00:00Z' }
  const location = { calendars: [{ id: 'C', begin_from: '2026-06-01T00:00:00Z', end_before: '2026-06-02T00:00:00Z', available_timeslots: [slot], last_updated: '2026-06-01T00:00:00Z' }] }
  const at = (time: string) => Date.parse(`2026-06-01T${time}Z`)

  it('takes timeslot_from inclusive and timeslot_to exclusive against half-open timeslots, at the boundary instants', () => {
    expect(hasTimeslotIn(location, {})).toBe(true)
    expect(hasTimeslotIn({}, {})).toBe(true)
    expect(hasTimeslotIn(location, { from: at('10:00:00') })).toBe(true) // the slot's first instant
    expect(hasTimeslotIn(location, { from: at('10:59:59') })).toBe(true)
    expect(hasTimeslotIn(location, { from: at('11:00:00') })).toBe(false) // end_before is not in the slot
    expect(hasTimeslotIn(location, { to: at('10:00:00') })).toBe(false) // timeslot_to is not in the window
    expect(hasTimeslotIn(location, { to: at('10:00:01') })).toBe(true)
    expect(hasTimeslotIn(location, { from: at('09:00:00'), to: at('10:00:00') })).toBe(false)
    expect(hasTimeslotIn(location, { from: at('11:00:00'), to: at('12:00:00') })).toBe(false)
    expect(hasTimeslotIn(location, { from: at('10:30:00'), to: at('10:30:01') })).toBe(true)
    expect(hasTimeslotIn({}, { from: at('10:00:00') })).toBe(false)
  })
})

describe('BookingLocations Sender interface of a hosted CPO', () => {
  const cpo = uniqueParty('NL')
  const msp = uniqueParty('DE')
  let peer: { id: string; token: string }
  let hiddenFrom: { id: string; token: string }
  const get = (token: string, path: string, headers: Record<string, string> = to(cpo)) =>
    ocpiFetch(`/ocpi/2.3.0/sender/Booking/booking_locations${path}`, { token, headers })

  beforeAll(async () => {
    await hostCpo(cpo)
    await putOwn(sampleLocation(cpo, 'LOC1', {}, '2026-01-01T10:00:00Z'))
    await putOwn(sampleLocation(cpo, 'LOC2', {}, '2026-01-02T10:00:00Z'))
    await putOwn(sampleLocation(cpo, 'LOC3', {}, '2026-01-03T10:00:00Z'))
    peer = await registeredPeer({ roles: roles('EMSP', msp), extensions: ['Booking'] })
    hiddenFrom = await registeredPeer({ roles: roles('EMSP', uniqueParty('DE')), extensions: ['Booking'] })
    expect((await adminFetch(`/policies/${cpo.country_code}/${cpo.party_id}`, { method: 'PUT', body: { default: 'all', peers: { [hiddenFrom.id]: ['LOC2'] } } })).status).toBe(202)
  })

  it('pages the BookingLocations with X-Total-Count, X-Limit and Link, date_from inclusive and date_to exclusive', async () => {
    const first = await get(peer.token, '?limit=2')
    expect(first.headers.get('X-Total-Count')).toBe('3')
    expect(first.headers.get('X-Limit')).toBe('2')
    expect(first.headers.get('Link')).toContain('offset=2')
    expect((await first.json<OcpiBody>()).data.map((location: any) => location.id)).toEqual(['LOC1-E1', 'LOC2-E1'])
    const second = await get(peer.token, '?limit=2&offset=2')
    expect(second.headers.get('Link')).toBeNull()
    expect((await second.json<OcpiBody>()).data.map((location: any) => location.id)).toEqual(['LOC3-E1'])
    const window = await (await get(peer.token, '?date_from=2026-01-02T10:00:00Z&date_to=2026-01-03T10:00:00Z')).json<OcpiBody>()
    expect(window.data.map((location: any) => location.id)).toEqual(['LOC2-E1'])
  })

  it('shows a peer only the BookingLocations of locations the sharing policy shows it', async () => {
    const list = await (await get(hiddenFrom.token, '')).json<OcpiBody>()
    expect(list.data.map((location: any) => location.id)).toEqual(['LOC2-E1'])
    const hidden = await get(hiddenFrom.token, '/LOC1-E1')
    expect(hidden.status).toBe(404)
    expect((await hidden.json<OcpiBody>()).status_code).toBe(2003)
  })

  it('serves one BookingLocation and one Calendar, which shows a booked slot as taken', async () => {
    const start = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 86_400_000 + 10 * HOUR)
    const period = { start_from: iso(start.getTime()), end_before: iso(start.getTime() + HOUR) }
    const booked = await ocpiFetch('/ocpi/2.3.0/sender/Booking', { token: peer.token, method: 'POST', headers: to(cpo),
      body: { ...msp, request_id: 'BL1', location_id: 'LOC3', evse_uid: 'LOC3-E1', period, authorization_reference: 'auth-BL1' } })
    expect((await booked.json<OcpiBody>()).data.reservation_status).toBe('RESERVED')
    const location = await (await get(peer.token, '/LOC3-E1')).json<OcpiBody>()
    expect(location.data).toMatchObject({ id: 'LOC3-E1', location_id: 'LOC3', evse_uid: 'LOC3-E1', booking_terms: [{ supported_access_methods: ['TOKEN'] }] })
    const calendarId = iso(start.getTime()).slice(0, 10)
    const calendar = await (await get(peer.token, `/LOC3-E1/${calendarId}`)).json<OcpiBody>()
    expect(calendar.status_code).toBe(1000)
    expect(calendar.data.id).toBe(calendarId)
    expect(calendar.data.available_timeslots).toContainEqual({ start_from: period.end_before, end_before: expect.any(String) })
    expect(calendar.data.available_timeslots.some((slot: any) => slot.start_from < period.end_before && slot.end_before > period.start_from)).toBe(false)
    expect((await get(peer.token, '/LOC3-E1/1999-01-01')).status).toBe(404)
  })

  it('filters by timeslot_from (inclusive) and timeslot_to (exclusive) against what the Calendars leave free', async () => {
    const day = Math.floor(Date.now() / 86_400_000) * 86_400_000 + 2 * 86_400_000
    const booked = await ocpiFetch('/ocpi/2.3.0/sender/Booking', { token: peer.token, method: 'POST', headers: to(cpo),
      body: { ...msp, request_id: 'TS1', location_id: 'LOC2', evse_uid: 'LOC2-E1', period: { start_from: iso(day + 10 * HOUR), end_before: iso(day + 11 * HOUR) }, authorization_reference: 'auth-TS1' } })
    expect((await booked.json<OcpiBody>()).data.reservation_status).toBe('RESERVED')
    const ids = async (from: number, until: number) => {
      const response = await get(peer.token, `?timeslot_from=${iso(from)}&timeslot_to=${iso(until)}`)
      expect(response.headers.get('X-Total-Count')).not.toBeNull()
      return (await response.json<OcpiBody>()).data.map((location: any) => location.id).sort()
    }
    // LOC2-E1 is free until 10:00 and from 11:00 that day: nothing in [10:00, 11:00).
    expect(await ids(day + 10 * HOUR, day + 11 * HOUR)).toEqual(['LOC1-E1', 'LOC3-E1'])
    expect(await ids(day + 10 * HOUR - 1000, day + 11 * HOUR)).toEqual(['LOC1-E1', 'LOC2-E1', 'LOC3-E1'])
    expect(await ids(day + 10 * HOUR, day + 11 * HOUR + 1000)).toEqual(['LOC1-E1', 'LOC2-E1', 'LOC3-E1'])
    // Beyond the Calendars (7 days) nothing is free.
    expect(await ids(day + 30 * 86_400_000, day + 31 * 86_400_000)).toEqual([])
    const bad = await (await get(peer.token, '?timeslot_from=tomorrow')).json<OcpiBody>()
    expect(bad.status_code).toBe(2001)
    expect(JSON.stringify(bad)).toContain('timeslot_from')
  })

  it('is served only to peers that agreed to the module', async () => {
    const outsider = await registeredPeer({ roles: roles('EMSP', uniqueParty('DE')) })
    expect((await get(outsider.token, '')).status).toBe(404)
  })
})

describe('BookingLocations pushed by a hosted CPO', () => {
  it('PUTs the BookingLocation to peers that agreed to the module and may see the location, after a booking', async () => {
    const cpo = uniqueParty('NL')
    const msp = uniqueParty('DE')
    await hostCpo(cpo)
    await putOwn(sampleLocation(cpo, 'LOC1', {}, '2026-01-01T10:00:00Z'))
    const endpoints = [{ identifier: 'Booking', role: 'RECEIVER' as const, url: 'http://127.0.0.1:9/ocpi/2.3.0/Booking' }]
    const booker = await registeredPeer({ roles: roles('EMSP', msp), extensions: ['Booking'], fields: { endpoints } })
    const hidden = await registeredPeer({ roles: roles('EMSP', uniqueParty('DE')), extensions: ['Booking'], fields: { endpoints } })
    const notAgreed = await registeredPeer({ roles: roles('EMSP', uniqueParty('DE')), fields: { endpoints } })
    expect((await adminFetch(`/policies/${cpo.country_code}/${cpo.party_id}`, { method: 'PUT', body: { default: 'all', peers: { [hidden.id]: 'none' } } })).status).toBe(202)
    await new Promise((resolve) => setTimeout(resolve, 1_100)) // publish caches the connected peers for a second
    const start = Math.floor(Date.now() / 86_400_000) * 86_400_000 + 2 * 86_400_000 + 10 * HOUR
    const booked = await ocpiFetch('/ocpi/2.3.0/sender/Booking', { token: booker.token, method: 'POST', headers: to(cpo),
      body: { ...msp, request_id: 'PUSH1', location_id: 'LOC1', evse_uid: 'LOC1-E1', period: { start_from: iso(start), end_before: iso(start + HOUR) }, authorization_reference: 'auth-PUSH1' } })
    expect((await booked.json<OcpiBody>()).data.reservation_status).toBe('RESERVED')
    const outbox = (peerId: string) => env.PEER_OUTBOX.get(env.PEER_OUTBOX.idFromName(peerId))
    const queued = (await outbox(booker.id).list()).filter((push) => push.path.includes('booking_locations'))
    expect(queued).toEqual([expect.objectContaining({ module: 'Booking', method: 'PUT', path: [cpo.country_code, cpo.party_id, 'booking_locations', 'LOC1-E1'], to: msp })])
    expect(await outbox(hidden.id).list()).toEqual([])
    expect(await outbox(notAgreed.id).list()).toEqual([])
  })

  it('PUTs the BookingLocations to a peer a policy change shows the location to, and withdraws their Calendars from one it now hides it from', async () => {
    const cpo = uniqueParty('NL')
    await hostCpo(cpo)
    await putOwn(sampleLocation(cpo, 'LOC1', {}, iso(Date.now())))
    const peerAt = (host: string) => registeredPeer({
      roles: roles('EMSP', uniqueParty('DE')), extensions: ['Booking'], fields: { endpoints: [{ identifier: 'Booking', role: 'RECEIVER' as const, url: `https://${host}/ocpi/2.3.0/Booking` }] },
    })
    const [losing, gaining] = [await peerAt('losing.example'), await peerAt('gaining.example')]
    // The policy's pushes run in its background job, a chunk of locations per step.
    const policy = async (hidden: string) => {
      const changed = await adminFetch(`/policies/${cpo.country_code}/${cpo.party_id}`, { method: 'PUT', body: { default: 'all', peers: { [hidden]: 'none' } } })
      expect(changed.status).toBe(202)
      expect(await finishJob((await changed.json<{ job_id: string }>()).job_id)).toMatchObject({ status: 'DONE' })
    }
    await policy(gaining.id)
    invalidatePushPeers()
    const peerSide = fakePeer()
    try {
      const changedAt = Date.now()
      await policy(losing.id)
      await Promise.all([deliverQueued(losing.id), deliverQueued(gaining.id)])
      const at = (host: string) => peerSide.received.filter((push) => push.url.startsWith(`https://${host}/`) && push.url.includes('/booking_locations/'))
      const path = `${cpo.country_code}/${cpo.party_id}/booking_locations/LOC1-E1`
      expect(at('gaining.example').map((push) => `${push.method} ${push.url.split('/Booking/')[1]}`)).toEqual([`PUT ${path}`])
      expect(at('gaining.example')[0]?.body).toMatchObject({ id: 'LOC1-E1', calendars: expect.any(Array) })
      expect(at('losing.example').map((push) => `${push.method} ${push.url.split('/Booking/')[1]}`)).toEqual([`PUT ${path}`])
      expect(at('losing.example')[0]?.body).not.toHaveProperty('calendars')
      expect(Date.parse(at('losing.example')[0]?.body.last_updated)).toBeGreaterThanOrEqual(Math.floor(changedAt / 1000) * 1000)
    } finally {
      peerSide.restore()
      await purgeTestOutboxes()
    }
  })

  it('PUTs the BookingLocation of an EVSE moved to another operator without Calendars at its old location, and as new at its new one', async () => {
    const [cpo, buyer] = [uniqueParty('NL'), uniqueParty('NL')]
    await hostCpo(cpo)
    await hostCpo(buyer)
    const stamp = iso(Date.now())
    await putOwn(sampleLocation(cpo, 'LOC1', { evses: [sampleEvse(cpo, 'LOC1', stamp), { ...sampleEvse(cpo, 'LOC1', stamp), uid: 'LOC1-E2', evse_id: 'NL*X*E2' }] }, stamp))
    const msp = uniqueParty('DE')
    const peer = await registeredPeer({ roles: roles('EMSP', msp), extensions: ['Booking'], fields: { endpoints: [{ identifier: 'Booking', role: 'RECEIVER' as const, url: 'https://mover.example/ocpi/2.3.0/Booking' }] } })
    invalidatePushPeers()
    const peerSide = fakePeer()
    try {
      await deliverQueued(peer.id)
      peerSide.received.splice(0)
      const moved = await adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/LOC1/move`, { method: 'POST', body: { to: buyer, new_id: 'BOUGHT1', evse_uids: ['LOC1-E2'] } })
      expect(moved.status).toBe(200)
      await deliverQueued(peer.id)
      const pushes = peerSide.received.filter((push) => push.url.includes('/booking_locations/'))
      const seen = new Set(pushes.map((push) => `${push.url.split('/Booking/')[1]} ${'calendars' in push.body}`))
      expect(seen).toEqual(new Set([
        `${cpo.country_code}/${cpo.party_id}/booking_locations/LOC1-E2 false`,
        `${buyer.country_code}/${buyer.party_id}/booking_locations/LOC1-E2 true`,
      ]))
    } finally {
      peerSide.restore()
      await purgeTestOutboxes()
    }
  })

  it('PUTs the BookingLocations a location change changes: an EVSE added or out of order; a status change that keeps it bookable pushes none', async () => {
    const cpo = uniqueParty('NL')
    const msp = uniqueParty('DE')
    const later = (seconds: number) => iso(Date.now() + seconds * 1000)
    await hostCpo(cpo)
    await putOwn(sampleLocation(cpo, 'LOC1', {}, later(0)))
    const endpoints = [{ identifier: 'Booking', role: 'RECEIVER' as const, url: 'https://entitled.example/ocpi/2.3.0/Booking' }]
    const entitled = await registeredPeer({ roles: roles('EMSP', msp), extensions: ['Booking'], fields: { endpoints } })
    // The policy below hides LOC1 from this one, which is pushed its BookingLocation without Calendars, at its own URL.
    const hidden = await registeredPeer({ roles: roles('EMSP', uniqueParty('DE')), extensions: ['Booking'], fields: { endpoints: [{ ...endpoints[0]!, url: 'https://hidden.example/ocpi/2.3.0/Booking' }] } })
    invalidatePushPeers()
    const changed = await adminFetch(`/policies/${cpo.country_code}/${cpo.party_id}`, { method: 'PUT', body: { default: 'all', peers: { [hidden.id]: 'none' } } })
    expect(changed.status).toBe(202)
    expect(await finishJob((await changed.json<{ job_id: string }>()).job_id)).toMatchObject({ status: 'DONE' })
    const peerSide = fakePeer()
    const atHidden: typeof peerSide.received = []
    try {
      const delivered = async () => {
        await deliverQueued(entitled.id)
        const pushes = peerSide.received.splice(0)
        atHidden.push(...pushes.filter((push) => push.url.startsWith('https://hidden.example/')))
        return pushes.filter((push) => push.url.startsWith('https://entitled.example/') && push.url.includes('/booking_locations/'))
      }
      const patchEvse = (uid: string, status: string, last_updated: string) =>
        adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/LOC1/${uid}`, { method: 'PATCH', body: { status, last_updated } })
      const path = (id: string) => `https://entitled.example/ocpi/2.3.0/Booking/${cpo.country_code}/${cpo.party_id}/booking_locations/${id}`

      expect((await patchEvse('LOC1-E1', 'CHARGING', later(10))).status).toBe(200)
      expect(await delivered()).toEqual([])

      const stamp = later(20)
      await putOwn(sampleLocation(cpo, 'LOC1', { evses: [sampleEvse(cpo, 'LOC1', stamp), { ...sampleEvse(cpo, 'LOC1', stamp), uid: 'LOC1-E2', evse_id: 'NL*X*E2' }] }, stamp))
      // The outbox delivers at least once, so a retried PUT may arrive again: only the BookingLocation that changed, last state last.
      const added = await delivered()
      expect(new Set(added.map((push) => `${push.method} ${push.url}`))).toEqual(new Set([`PUT ${path('LOC1-E2')}`]))
      expect(added.at(-1)?.headers.get('OCPI-to-party-id')).toBe(msp.party_id)
      expect(added.at(-1)?.body).toMatchObject({ id: 'LOC1-E2', calendars: expect.any(Array) })

      const outOfOrder = later(30)
      expect((await patchEvse('LOC1-E2', 'OUTOFORDER', outOfOrder)).status).toBe(200)
      const gone = await delivered()
      expect(new Set(gone.map((push) => `${push.method} ${push.url}`))).toEqual(new Set([`PUT ${path('LOC1-E2')}`]))
      expect(gone.at(-1)?.body).toMatchObject({ id: 'LOC1-E2', evse_uid: 'LOC1-E2', last_updated: outOfOrder })
      expect(gone.at(-1)?.body).not.toHaveProperty('calendars')
      await deliverQueued(hidden.id)
      await delivered()
      expect(await peerOutbox(env, hidden.id).list()).toEqual([])
      // Only what the policy withdrew: LOC1-E1 without Calendars, never the EVSE changes of a location it may not see.
      expect(new Set(atHidden.map((push) => `${push.method} ${push.url.split('/Booking/')[1]} ${'calendars' in push.body}`))).toEqual(new Set([`PUT ${cpo.country_code}/${cpo.party_id}/booking_locations/LOC1-E1 false`]))
    } finally {
      peerSide.restore()
      await purgeTestOutboxes()
    }
  })
})
