import { beforeAll, describe, expect, it } from 'vitest'
import { ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { uniqueParty, type Party } from '../locations/fixtures'

// mod_bookings, Receiver interface, "BookingLocation and Calendar Interface": a peer CPO pushes its BookingLocations
// and Calendars to our eMSP; it reads and writes only its own (the path's party).

const roles = (party: Party) => [{ role: 'CPO' as const, ...party, business_details: { name: party.party_id } }]
const calendar = (id: string, last_updated: string, start = '2026-06-02T10:00:00Z') => ({
  id, begin_from: '2026-06-02T00:00:00Z', end_before: '2026-06-03T00:00:00Z',
  available_timeslots: [{ start_from: start, end_before: '2026-06-02T12:00:00Z' }], last_updated,
})
const bookingLocation = (cpo: Party, id: string, last_updated: string) => ({
  ...cpo, id, location_id: 'LOC1', evse_uid: 'LOC1-E1', calendars: [calendar('C1', last_updated)], last_updated,
})

describe('BookingLocations Receiver interface of a hosted eMSP', () => {
  const cpo = uniqueParty('NL')
  const otherCpo = uniqueParty('NL')
  let peer: { id: string; token: string }
  let other: { id: string; token: string }
  const base = (party: Party) => `/ocpi/2.3.0/receiver/Booking/${party.country_code}/${party.party_id}/booking_locations`
  const call = (token: string, path: string, method = 'GET', body?: unknown) =>
    ocpiFetch(path, { token, method, body }).then(async (r) => ({ http: r.status, body: await r.json<OcpiBody>() }))

  beforeAll(async () => {
    peer = await registeredPeer({ roles: roles(cpo), extensions: ['Booking'] })
    other = await registeredPeer({ roles: roles(otherCpo), extensions: ['Booking'] })
  })

  it('stores a pushed BookingLocation and serves it and its Calendar back', async () => {
    const put = await call(peer.token, `${base(cpo)}/BL1`, 'PUT', bookingLocation(cpo, 'BL1', '2026-06-01T10:00:00Z'))
    // status_codes: HTTP 201 for a newly created object, 200 for one already held.
    expect(put).toMatchObject({ http: 201, body: { status_code: 1000 } })
    expect(await call(peer.token, `${base(cpo)}/BL1`, 'PUT', bookingLocation(cpo, 'BL1', '2026-06-01T10:00:00Z'))).toMatchObject({ http: 200, body: { status_code: 1000 } })
    const got = await call(peer.token, `${base(cpo)}/bl1`)
    expect(got.body.data).toMatchObject({ id: 'BL1', location_id: 'LOC1', calendars: [{ id: 'C1' }] })
    expect((await call(peer.token, `${base(cpo)}/BL1/C1`)).body.data).toMatchObject({ id: 'C1', last_updated: '2026-06-01T10:00:00Z' })
  })

  it('applies a PATCH of a BookingLocation and of a Calendar, which also moves the BookingLocation\'s last_updated', async () => {
    await call(peer.token, `${base(cpo)}/BL2`, 'PUT', bookingLocation(cpo, 'BL2', '2026-06-01T10:00:00Z'))
    expect((await call(peer.token, `${base(cpo)}/BL2`, 'PATCH', { connector_id: '1', last_updated: '2026-06-01T11:00:00Z' })).body.status_code).toBe(1000)
    const patched = await call(peer.token, `${base(cpo)}/BL2/C1`, 'PATCH', {
      available_timeslots: [{ start_from: '2026-06-02T11:00:00Z', end_before: '2026-06-02T12:00:00Z' }], last_updated: '2026-06-01T12:00:00Z' })
    expect(patched.body.status_code).toBe(1000)
    const got = (await call(peer.token, `${base(cpo)}/BL2`)).body.data
    expect(got).toMatchObject({ connector_id: '1', last_updated: '2026-06-01T12:00:00Z' })
    expect(got.calendars[0]).toMatchObject({ id: 'C1', available_timeslots: [{ start_from: '2026-06-02T11:00:00Z' }], last_updated: '2026-06-01T12:00:00Z' })
    // A new Calendar is PUT into its BookingLocation; an older state of it is ignored.
    expect((await call(peer.token, `${base(cpo)}/BL2/C2`, 'PUT', calendar('C2', '2026-06-01T13:00:00Z'))).body.status_code).toBe(1000)
    await call(peer.token, `${base(cpo)}/BL2/C2`, 'PUT', calendar('C2', '2026-06-01T09:00:00Z', '2026-06-02T11:30:00Z'))
    expect((await call(peer.token, `${base(cpo)}/BL2/C2`)).body.data.available_timeslots[0].start_from).toBe('2026-06-02T10:00:00Z')
  })

  it('refuses bad input with 2001 and the path, storing nothing', async () => {
    const bad = await call(peer.token, `${base(cpo)}/BL3`, 'PUT', { ...bookingLocation(cpo, 'BL3', '2026-06-01T10:00:00Z'), calendars: [{ ...calendar('C1', '2026-06-01T10:00:00Z'), available_timeslots: [] }] })
    expect(bad.body).toMatchObject({ status_code: 2001, data: { path: 'calendars.0.available_timeslots' } })
    const wrongId = await call(peer.token, `${base(cpo)}/BL3`, 'PUT', bookingLocation(cpo, 'OTHER', '2026-06-01T10:00:00Z'))
    expect(wrongId.body).toMatchObject({ status_code: 2001, data: { path: 'id' } })
    expect((await call(peer.token, `${base(cpo)}/BL3`)).http).toBe(404)
    expect((await call(peer.token, `${base(cpo)}/BL3`, 'PATCH', { last_updated: '2026-06-01T10:00:00Z' })).body.status_code).toBe(2003)
    expect((await call(peer.token, `${base(cpo)}/BL1/C1`, 'PATCH', { step_size: 15 })).body).toMatchObject({ status_code: 2001, data: { path: 'last_updated' } })
  })

  it('keeps another CPO out: its path party is refused', async () => {
    expect((await call(other.token, `${base(cpo)}/BL1`)).body.status_code).toBe(2001)
    expect((await call(other.token, `${base(cpo)}/BL1`, 'PUT', bookingLocation(cpo, 'BL1', '2026-06-02T10:00:00Z'))).body.status_code).toBe(2001)
    expect((await call(peer.token, `${base(cpo)}/BL1`)).body.data.last_updated).toBe('2026-06-01T10:00:00Z')
  })
})
