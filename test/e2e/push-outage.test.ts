import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { a, d, grantsOf, unique } from './harness'
import { startPlatform, stopPlatform } from './platform-process'

// Issue 4, "Done when": a peer taken down and brought back receives every missed update, in order. Platform d is an
// eMSP platform connected to a CPO on a; d is stopped, a keeps writing, d is started again on the same port and state.

const SLOW = { timeout: 45_000, interval: 250 }

type Connector = { id: string; max_electric_power?: number; last_updated: string; [field: string]: unknown }
type Location = { id: string; name?: string; last_updated: string; [field: string]: unknown; evses?: { uid: string; status: string; last_updated: string; connectors: Connector[] }[] }

function location(party: { country_code: string; party_id: string }, id: string, name: string, power: number): Location {
  const last_updated = new Date().toISOString()
  return {
    ...party, id, name, publish: true, address: 'Stationsplein 1', city: 'Utrecht', country: 'NLD',
    coordinates: { latitude: '52.08970', longitude: '5.11010' }, time_zone: 'Europe/Amsterdam', last_updated,
    evses: [{
      uid: 'EVSE1', status: 'AVAILABLE', last_updated,
      connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, max_electric_power: power, last_updated }],
    }],
  }
}

/** What a receiver must end up with: names, statuses, powers and every last_updated. */
const essentials = (location: Location | undefined) => location && {
  id: location.id, name: location.name, last_updated: location.last_updated,
  evses: location.evses?.map((evse) => ({ uid: evse.uid, status: evse.status, connectors: evse.connectors.map(({ id, max_electric_power, last_updated }) => ({ id, max_electric_power, last_updated })) })),
}

describe.each(['2.2.1', '2.3.0'] as const)('push over %s to a peer that goes down and comes back', (version) => {
  const cpo = { country_code: 'NL', party_id: unique('').slice(0, 3) }
  const emsp = { country_code: 'DE', party_id: unique('').slice(0, 3) }
  let peerIdOnA: string

  beforeAll(async () => {
    await startPlatform('d', { fresh: true }) // a new eMSP platform per version: d knows only this registration with a
    await a.admin('POST', '/parties', { ...cpo, role: 'CPO', business_details: { name: 'CPO on a' } })
    await d.admin('POST', '/parties', { ...emsp, role: 'EMSP', business_details: { name: 'eMSP on d' } })
    const invite = await a.admin('POST', '/peers/invite', { name: 'platform d', grants: await grantsOf(d) })
    expect(await d.admin('POST', '/peers/connect', { versions_url: invite.versions_url, token_a: invite.token_a, version, grants: await grantsOf(a) })).toMatchObject({ version })
    peerIdOnA = invite.peer_id
  }, 180_000)
  afterAll(async () => {
    // Unregister, so a stops pushing this test's locations to whatever listens on d's port next.
    await a.adminRaw('DELETE', `/peers/${peerIdOnA}`)
    await stopPlatform('d')
  }, 60_000)

  const outboxOfD = async () => (await a.admin('GET', `/peers/${peerIdOnA}`)).outbox
  const receivedOnD = async () =>
    new Map((await d.admin<Location[]>('GET', `/locations?source=received&party=${cpo.country_code}*${cpo.party_id}&limit=100`)).map((location) => [location.id, location]))
  const ownOnA = async (id: string) => essentials(await a.admin<Location>('GET', `/locations/${cpo.country_code}/${cpo.party_id}/${id}`))

  it('queues every update while d is down, shows it in GET /peers/{id}, and delivers all of them in order once d is back, superseded ones folded', { timeout: 240_000 }, async () => {
    await a.admin('PUT', `/locations/${cpo.country_code}/${cpo.party_id}/LOC1`, location(cpo, 'LOC1', 'seq 0', 10_000))
    await expect.poll(async () => essentials((await receivedOnD()).get('LOC1')), SLOW).toEqual(await ownOnA('LOC1'))
    const before = await outboxOfD()

    await stopPlatform('d')
    const base = `/locations/${cpo.country_code}/${cpo.party_id}`
    // 20 owner writes while d is down. LOC1 alternates location- and connector-level PATCHes (different paths, so
    // none is folded into another: each is delivered, in order); LOC2 is created during the outage and then patched,
    // so a PATCH overtaking its PUT would be refused by d ("unknown location") and show as rejected.
    for (let sequence = 1; sequence <= 10; sequence++) {
      if (sequence % 2) await a.admin('PATCH', `${base}/LOC1`, { name: `seq ${sequence}` })
      else await a.admin('PATCH', `${base}/LOC1/EVSE1/1`, { max_electric_power: 10_000 + sequence })
    }
    await a.admin('PUT', `${base}/LOC2`, location(cpo, 'LOC2', 'seq 11', 20_000))
    for (let sequence = 12; sequence <= 20; sequence++) {
      if (sequence % 3 === 0) await a.admin('PATCH', `${base}/LOC2/EVSE1`, { status: sequence % 2 ? 'CHARGING' : 'AVAILABLE' })
      else if (sequence % 3 === 1) await a.admin('PATCH', `${base}/LOC2`, { name: `seq ${sequence}` })
      else await a.admin('PATCH', `${base}/LOC2/EVSE1/1`, { max_electric_power: 20_000 + sequence })
    }
    // Updates of one path that supersede each other while undelivered are folded together: LOC3 goes out once, final.
    await a.admin('PUT', `${base}/LOC3`, location(cpo, 'LOC3', 'draft 0', 30_000))
    for (let draft = 1; draft <= 5; draft++) await a.admin('PATCH', `${base}/LOC3`, { name: `draft ${draft}` })

    await expect.poll(async () => {
      const outbox = await outboxOfD()
      return outbox.depth > 0 && outbox.last_error !== null && Date.parse(outbox.last_error_at) > Date.parse(outbox.last_delivery_at)
    }, SLOW).toBe(true)
    const down = await outboxOfD()
    expect(down).toMatchObject({ depth: 21, rejected: before.rejected, coalesced: before.coalesced + 5 })
    expect(down.last_error).toContain(`:${new URL(d.url).port}/ocpi/${version}/`)
    expect(Date.parse(down.oldest_enqueued_at)).toBeLessThanOrEqual(Date.parse(down.last_error_at))

    await startPlatform('d')
    await expect.poll(async () => (await outboxOfD()).depth, { timeout: 60_000, interval: 250 }).toBe(0)
    const received = await receivedOnD()
    expect(essentials(received.get('LOC1'))).toEqual(await ownOnA('LOC1'))
    expect(essentials(received.get('LOC2'))).toEqual(await ownOnA('LOC2'))
    expect(essentials(received.get('LOC3'))).toEqual(await ownOnA('LOC3'))
    expect(received.get('LOC1')).toMatchObject({ name: 'seq 9', evses: [{ connectors: [{ max_electric_power: 10_010 }] }] })
    expect(received.get('LOC2')).toMatchObject({ name: 'seq 19', evses: [{ status: 'AVAILABLE', connectors: [{ max_electric_power: 20_020 }] }] })
    expect(received.get('LOC3')).toMatchObject({ name: 'draft 5' })

    const after = await outboxOfD()
    expect(after).toMatchObject({ depth: 0, rejected: before.rejected, dropped: before.dropped, delivered: before.delivered + 21, next_attempt_at: null })
    expect(Date.parse(after.last_delivery_at)).toBeGreaterThan(Date.parse(after.last_error_at))
  })
})
