import { beforeAll, describe, expect, it } from 'vitest'
import { DateTime } from '../../src/ocpi/types'
import { sampleConnector, sampleEvse, sampleLocation, uniqueParty } from '../modules/locations/fixtures'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from './fixtures'

// Dates and numbers a peer or an operator sends are validated where they are parsed: a 2001 (management API: 4xx)
// naming the field, never an HTTP 500 and never a date the calendar does not have stored as another date.

const impossible = {
  'month 13': '2026-13-01T10:00:00Z',
  'Feb 30': '2026-02-30T10:00:00Z',
  'Feb 29 outside a leap year': '2025-02-29T10:00:00Z',
  'hour 25': '2026-01-01T25:00:00Z',
  'minute 60': '2026-01-01T10:60:00Z',
  'day 0': '2026-01-00T10:00:00Z',
}

describe('DateTime', () => {
  it.each(Object.entries(impossible))('refuses %s', (_, value) => {
    expect(DateTime.safeParse(value).success).toBe(false)
  })

  it('accepts real dates with and without Z and fractions, and Feb 29 of a leap year', () => {
    for (const value of ['2024-02-29T23:59:59Z', '2015-06-29T20:39:09', '2015-06-29T20:39:09.123Z', '2026-12-31T00:00:00.123456+00:00']) {
      expect(DateTime.safeParse(value).success, value).toBe(true)
    }
  })
})

describe('peer input', () => {
  const pusher = uniqueParty('BE')
  let token: string
  beforeAll(async () => {
    ;({ token } = await registeredPeer({ roles: [{ role: 'CPO', ...pusher, business_details: { name: 'Pushing CPO' } }] }))
    // The paged sender used below, hubclientinfo, is served only by a platform hosting a HUB party.
    await adminFetch('/parties', { method: 'POST', body: { ...uniqueParty('ZZ'), role: 'HUB', business_details: { name: 'Hub' } } })
  })

  it.each(Object.entries(impossible))('a pushed object with %s is 2001 with the path, and nothing is stored', async (_, value) => {
    const id = `D${crypto.randomUUID().slice(0, 6)}`
    const url = `/ocpi/2.3.0/receiver/locations/${pusher.country_code}/${pusher.party_id}/${id}`
    const response = await ocpiFetch(url, { token, method: 'PUT', body: sampleLocation(pusher, id, {}, value) })
    expect(response.status).toBe(200)
    const body = await response.json<OcpiBody>()
    expect(body.status_code).toBe(2001)
    expect(body.data.path).toMatch(/last_updated$/)
    expect((await ocpiFetch(url, { token })).status).toBe(404)
  })

  it.each(['date_from', 'date_to'])('%s with an impossible date is 2001 naming it', async (name) => {
    for (const value of Object.values(impossible)) {
      const response = await ocpiFetch(`/ocpi/2.3.0/sender/hubclientinfo?${name}=${encodeURIComponent(value)}`, { token })
      expect(response.status).toBe(200)
      expect(await response.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: name } })
    }
  })

  it('the largest offset is served as an empty page', async () => {
    const response = await ocpiFetch(`/ocpi/2.3.0/sender/hubclientinfo?offset=${Number.MAX_SAFE_INTEGER}`, { token })
    expect(await response.json<OcpiBody>()).toMatchObject({ status_code: 1000, data: [] })
  })

  it.each(['offset', 'limit'])('%s beyond the integer range is 2001 naming it', async (name) => {
    for (const value of ['99999999999999999999', '9223372036854775808', '1e3', '-1', '0x10']) {
      const response = await ocpiFetch(`/ocpi/2.3.0/sender/hubclientinfo?${name}=${value}`, { token })
      expect(response.status, `${name}=${value}`).toBe(200)
      expect(await response.json<OcpiBody>(), `${name}=${value}`).toMatchObject({ status_code: 2001, data: { path: name } })
    }
  })

  it('a forged cursor with out-of-range numbers is 2001 naming it', async () => {
    const forged = (cursor: unknown) => btoa(JSON.stringify(cursor)).replace(/=+$/, '')
    for (const cursor of [{ o: 1e300, lu: 0, k: 'x' }, { o: -5, lu: 0, k: 'x' }, { o: 0, lu: 1.5, k: 'x' }, { o: 0, lu: 0, k: 'x'.repeat(5000) }, { o: 0, lu: 0, k: 'x', bm: 7 }]) {
      const response = await ocpiFetch(`/ocpi/2.3.0/sender/hubclientinfo?cursor=${forged(cursor)}`, { token })
      expect(response.status, JSON.stringify(cursor).slice(0, 60)).toBe(200)
      expect(await response.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'cursor' } })
    }
  })
})

describe('management API', () => {
  it.each(Object.entries(impossible))('an owner write with %s is HTTP 400 with the path, and nothing is stored', async (_, value) => {
    const party = uniqueParty('NL')
    await adminFetch('/parties', { method: 'POST', body: { ...party, role: 'CPO', business_details: { name: 'CPO' } } })
    const location = sampleLocation(party, 'A1', { evses: [{ ...sampleEvse(party, 'A1'), last_updated: value }] })
    const response = await adminFetch(`/locations/${party.country_code}/${party.party_id}/A1`, { method: 'PUT', body: location })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: { code: 2001, path: expect.stringMatching(/last_updated$/) } })
    expect((await adminFetch(`/locations/${party.country_code}/${party.party_id}/A1`)).status).toBe(404)
  })

  it('a list query with an impossible date_from or a huge offset is HTTP 400 naming it', async () => {
    const dated = await adminFetch(`/locations?date_from=${encodeURIComponent(impossible['hour 25'])}`)
    expect(dated.status).toBe(400)
    expect(await dated.json()).toMatchObject({ error: { path: 'date_from' } })
    const offset = await adminFetch('/locations?offset=99999999999999999999')
    expect(offset.status).toBe(400)
    expect(await offset.json()).toMatchObject({ error: { path: 'offset' } })
  })
})
