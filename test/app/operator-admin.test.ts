import { runDurableObjectAlarm } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { requestStats } from '../../src/app/request-log'
import { putOwnSession } from '../../src/modules/sessions/store'
import { peerOutbox } from '../../src/push/publish'
import { adminFetch, db, ocpiFetch, registeredPeer } from '../ocpi/fixtures'
import { EMSP, fakePeer, insertPeer, locationChange, ocpiAnswer, purgeTestOutboxes } from '../push/fixtures'
import { uniquePartyId } from '../party-ids'
import { hostParty } from '../modules/tokens/fixtures'

afterEach(async () => {
  vi.restoreAllMocks()
  await purgeTestOutboxes()
})

describe('GET /admin/v1/peers/{peer_id}/stats', () => {
  let peer: { id: string; token: string }
  beforeAll(async () => {
    peer = await registeredPeer()
  })

  it('counts the peer’s requests, errors, latency and last seen, in total and per module', async () => {
    const before = Date.now()
    expect((await ocpiFetch('/ocpi/versions', { token: peer.token })).status).toBe(200)
    expect((await ocpiFetch('/ocpi/2.3.0/details', { token: peer.token })).status).toBe(200)
    expect((await ocpiFetch('/ocpi/2.3.0/sender/locations/NL/XXX/NONE', { token: peer.token })).status).toBe(404)
    const response = await adminFetch(`/peers/${peer.id}/stats`)
    expect(response.status).toBe(200)
    const stats = await response.json<any>()
    expect(stats).toMatchObject({ peer_id: peer.id, requests: 3, errors: 1, staleness_seconds: 5 })
    expect(stats.p50_ms).toBeGreaterThanOrEqual(0)
    expect(stats.p99_ms).toBeGreaterThanOrEqual(stats.p50_ms)
    expect(Date.parse(stats.last_seen)).toBeGreaterThanOrEqual(before - 1)
    expect(Object.keys(stats.modules)).toEqual(['details', 'locations', 'versions'])
    expect(stats.modules.locations).toMatchObject({ requests: 1, errors: 1 })
    expect(stats.modules.versions).toMatchObject({ requests: 1, errors: 0 })
  })

  it('adds up what isolates send in between (the counts are kept by the peer’s PeerOutbox)', async () => {
    await peerOutbox(env, peer.id).mergeRequestStats({
      total: { requests: 10, errors: 2, last_seen: Date.UTC(2030, 0, 1), latency: { 40: 10 } },
      modules: { tokens: { requests: 10, errors: 2, last_seen: Date.UTC(2030, 0, 1), latency: { 40: 10 } } },
    })
    const stats = await (await adminFetch(`/peers/${peer.id}/stats`)).json<any>()
    expect(stats).toMatchObject({ requests: 13, errors: 3, last_seen: '2030-01-01T00:00:00.000Z' })
    expect(stats.modules.tokens).toMatchObject({ requests: 10, errors: 2 })
  })

  it('keeps counting in the isolate until the flush, without waiting for it', async () => {
    const other = await registeredPeer()
    await ocpiFetch('/ocpi/versions', { token: other.token })
    expect(requestStats.takePeer(other.id)?.total.requests).toBe(1)
  })

  it('is 404 for an unknown peer', async () => {
    expect((await adminFetch('/peers/nobody/stats')).status).toBe(404)
  })
})

describe('GET /admin/v1/refused-pushes and /peers/{peer_id}/refused-pushes', () => {
  it('lists the pushes a peer refused, newest first, without personal data in keys', async () => {
    const peer = fakePeer((push) => (push.body?.name === 'bad' ? ocpiAnswer(2001, 'evses.0.uid: Required') : ocpiAnswer(1000)))
    const stored = await insertPeer()
    const outbox = peerOutbox(env, stored.id)
    await outbox.enqueue(locationChange('PUT', 'LOC-BAD', { name: 'bad' }), EMSP)
    await outbox.enqueue(locationChange('PUT', 'LOC-GOOD', { name: 'good' }), EMSP)
    await outbox.enqueue({ ...locationChange('PUT', 'LOC-BAD2', { name: 'bad' }), module: 'locations' }, EMSP)
    await runDurableObjectAlarm(outbox)
    peer.restore()
    const refused = await (await adminFetch(`/peers/${stored.id}/refused-pushes`)).json<any[]>()
    expect(refused.map((push) => push.object_key)).toEqual([expect.stringContaining('LOC-BAD2'), expect.stringContaining('LOC-BAD')])
    expect(refused[0]).toMatchObject({ peer_id: stored.id, module: 'locations', method: 'PUT', error: expect.stringContaining('OCPI 2001') })
    const all = await (await adminFetch('/refused-pushes?limit=100')).json<any[]>()
    expect(all.filter((push) => push.peer_id === stored.id)).toHaveLength(2)
    expect((await adminFetch('/refused-pushes?limit=0')).status).toBe(400)
  })
})

describe('GET /admin/v1/audit, /jobs, /live-sessions', () => {
  it('lists audit entries newest first, by action, paged with before', async () => {
    await adminFetch('/peers/invite', { method: 'POST', body: { name: 'audited' } })
    const entries = await (await adminFetch('/audit?limit=5')).json<any[]>()
    expect(entries.length).toBeGreaterThan(0)
    expect(entries.map((entry) => entry.id)).toEqual([...entries.map((entry) => entry.id)].sort((a, b) => b - a))
    expect(entries[0].at).toMatch(/^\d{4}-/)
    const older = await (await adminFetch(`/audit?limit=5&before=${entries[0].id}`)).json<any[]>()
    expect(older.every((entry) => entry.id < entries[0].id)).toBe(true)
    expect((await adminFetch('/audit?limit=abc')).status).toBe(400)
  })

  it('lists the latest jobs started, as their Durable Objects show them', async () => {
    const cpo = await hostParty('CPO', 'NL')
    const accepted = await (await adminFetch(`/policies/${cpo.country_code}/${cpo.party_id}`, { method: 'PUT', body: { default: 'all', roles: { NAP: 'none' } } })).json<any>()
    const jobs = await (await adminFetch('/jobs?limit=100')).json<any[]>()
    expect(jobs.find((listed) => listed.job_id === accepted.job_id)).toMatchObject({ kind: 'locations.policy-change', status: expect.any(String), progress: expect.any(Object) })
  })

  it('lists unfinished sessions with energy and cost, and the latest finished ones on request, without the driver’s token', async () => {
    const party = uniquePartyId()
    const session = (id: string, status: string, kwh: number) => ({
      country_code: 'NL', party_id: party, id, start_date_time: '2026-12-06T10:00:00Z', kwh, status,
      cdr_token: { country_code: 'DE', party_id: 'MSP', uid: 'LIVEUID0001', type: 'RFID', contract_id: 'DE-MSP-C00000001-1' },
      auth_method: 'WHITELIST', location_id: 'LOC1', evse_uid: 'E1', connector_id: '1', currency: 'EUR',
      total_cost: { before_taxes: 1.5 }, last_updated: new Date().toISOString(),
    }) as any
    await putOwnSession(db(), session('LIVE1', 'ACTIVE', 3.2))
    await putOwnSession(db(), session('DONE1', 'COMPLETED', 9))
    const live = await (await adminFetch('/live-sessions')).json<any[]>()
    expect(live.filter((listed) => listed.party_id === party)).toEqual([expect.objectContaining({ id: 'LIVE1', status: 'ACTIVE', kwh: 3.2, total_cost: { before_taxes: 1.5 }, source: 'own' })])
    expect(JSON.stringify(live)).not.toContain('LIVEUID0001')
    const withFinished = await (await adminFetch('/live-sessions?finished=50')).json<any[]>()
    expect(withFinished.filter((listed) => listed.party_id === party).map((listed) => listed.id).sort()).toEqual(['DONE1', 'LIVE1'])
  })
})

describe('polling with ETag', () => {
  it('answers 304 to If-None-Match while the answer is unchanged', async () => {
    const first = await adminFetch('/parties')
    const tag = first.headers.get('ETag')
    expect(tag).toBeTruthy()
    const again = await exports.default.fetch(new Request('http://localhost/admin/v1/parties', { headers: { Authorization: 'Bearer test-admin-token', 'If-None-Match': tag! } }))
    expect(again.status).toBe(304)
  })
})
