import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { listBookings } from '../../../src/modules/bookings/store'
import { overlaps } from '../../../src/modules/bookings/decide'
import { db, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { hostCpo, putOwn, sampleLocation, uniqueParty, type Party } from '../locations/fixtures'

// Booking requests that arrive at the same instant for one EVSE (mod_bookings, "POST Method"): the slot check and the
// write are one D1 statement, so exactly one overlapping request is RESERVED and every other one gets the spec's answer
// for an unavailable slot ("REJECTED if the requested timeslot or booking option isn't available", status 1000).

const HOUR = 3_600_000
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
const base = Math.floor(Date.now() / HOUR) * HOUR + 48 * HOUR
const slot = (fromHours: number, toHours: number) => ({ start_from: iso(base + fromHours * HOUR), end_before: iso(base + toHours * HOUR) })
const to = (party: Party) => ({ 'OCPI-to-country-code': party.country_code, 'OCPI-to-party-id': party.party_id })
const roles = (party: Party) => [{ role: 'EMSP' as const, ...party, business_details: { name: party.party_id } }]

describe('simultaneous booking requests for one slot', () => {
  const cpo = uniqueParty('NL')
  const requesters: { msp: Party; token: string }[] = []
  let runs = 0

  beforeAll(async () => {
    await hostCpo(cpo)
    for (const id of ['LOC1', 'LOC2', 'LOC3']) await putOwn(sampleLocation(cpo, id, {}, iso(Date.now() - HOUR)))
    for (let index = 0; index < 3; index++) {
      const msp = uniqueParty('DE')
      requesters.push({ msp, token: (await registeredPeer({ roles: roles(msp), extensions: ['Booking'] })).token })
    }
  })

  const request = (requester: { msp: Party; token: string }, request_id: string, location: string, period: { start_from: string; end_before: string }) =>
    ocpiFetch('/ocpi/2.3.0/sender/Booking', {
      token: requester.token, method: 'POST', headers: to(cpo),
      body: { ...requester.msp, request_id, location_id: location, evse_uid: `${location}-E1`, period, authorization_reference: `auth-${request_id}` },
    }).then(async (response) => ({ http: response.status, body: await response.json<OcpiBody>() }))

  const holding = async (location: string) =>
    (await listBookings(db(), { source: 'own', owners: [cpo] }, { offset: 0, limit: 1000 })).objects
      .filter((booking) => booking.location_id === location && booking.reservation_status === 'RESERVED')

  it('reserves exactly one of many overlapping requests from several peers; the others are REJECTED with 1000', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, index) =>
      request(requesters[index % requesters.length]!, `SAME-${index}`, 'LOC1', slot(index % 3 * 0.25, 1 + index % 2 * 0.5))))
    expect(answers.map((answer) => [answer.http, answer.body.status_code])).toEqual(answers.map(() => [200, 1000]))
    const statuses = answers.map((answer) => answer.body.data.reservation_status)
    expect(statuses.filter((status) => status === 'RESERVED')).toHaveLength(1)
    expect(statuses.filter((status) => status === 'REJECTED')).toHaveLength(11)
    for (const answer of answers.filter((candidate) => candidate.body.data.reservation_status === 'REJECTED')) {
      expect(answer.body.data.booking_requests).toEqual([expect.objectContaining({ request_status: 'DECLINED' })])
    }
    const held = await holding('LOC1')
    expect(held.map((booking) => booking.id)).toEqual([answers.find((answer) => answer.body.data.reservation_status === 'RESERVED')!.body.data.id])
  })

  it('stores a request that arrives several times at once as one booking, answered alike, without an error', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => request(requesters[0]!, 'TWICE', 'LOC2', slot(5, 6))))
    expect(answers.map((answer) => answer.body.status_code)).toEqual(answers.map(() => 1000))
    expect(new Set(answers.map((answer) => answer.body.data.id)).size).toBe(1)
    expect(answers.map((answer) => answer.body.data.reservation_status)).toEqual(answers.map(() => 'RESERVED'))
    const mine = (await listBookings(db(), { source: 'own', owners: [cpo] }, { offset: 0, limit: 1000 })).objects.filter((booking) => booking.request_id === 'TWICE')
    expect(mine).toHaveLength(1)
  })

  it('for any set of simultaneous requests, the reserved ones never overlap and every rejected one overlaps a reserved one', async () => {
    const halfHours = fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 6 }))
    await fc.assert(fc.asyncProperty(fc.array(halfHours, { minLength: 2, maxLength: 8 }), async (requested) => {
      // Each run books its own stretch of time on the EVSE, so it starts from a free one.
      const start = 100 + 12 * runs++
      const periods = requested.map(([from, length]) => slot(start + from / 2, start + (from + length) / 2))
      const answers = await Promise.all(periods.map((period, index) => request(requesters[index % requesters.length]!, `P${start}-${index}`, 'LOC3', period)))
      const reserved = answers.filter((answer) => answer.body.data.reservation_status === 'RESERVED').map((answer) => answer.body.data)
      const rejected = answers.filter((answer) => answer.body.data.reservation_status === 'REJECTED').map((answer) => answer.body.data)
      expect(reserved.length + rejected.length).toBe(periods.length)
      for (const [index, one] of reserved.entries()) for (const other of reserved.slice(index + 1)) expect(overlaps(one.period, other.period)).toBe(false)
      for (const lost of rejected) expect(reserved.some((won) => overlaps(won.period, lost.period))).toBe(true)
    }), { numRuns: 6 })
  })
})
