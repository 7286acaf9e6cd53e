import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { database } from '../../src/db/client'
import { peers } from '../../src/db/schema'
import type { PeerOutbox } from '../../src/objects/peer-outbox'
import { peerOutbox } from '../../src/push/publish'
import { CPO, EMSP, fakePeer, gate, holdOutbox, insertPeer, locationChange, ocpiAnswer, purgeTestOutboxes, testOutbox, uniqueId, type ReceivedPush } from '../push/fixtures'
import { present } from '../present'

const BASE_MS = Number(env.OUTBOX_RETRY_BASE_MS)
const MAX_MS = Number(env.OUTBOX_RETRY_MAX_MS)

let restoreFetch: (() => void) | undefined
afterEach(async () => {
  await purgeTestOutboxes()
  restoreFetch?.()
  restoreFetch = undefined
})

function receiverAnswering(answer?: Parameters<typeof fakePeer>[0]) {
  const peer = fakePeer(answer)
  restoreFetch = peer.restore
  return peer.received
}

const scheduledAlarm = (outbox: ReturnType<typeof peerOutbox>) => runInDurableObject(outbox, (_, state) => state.storage.getAlarm())

/** Runs alarms until the queue is empty or `maxRuns` ran; returns how many ran. */
async function drain(outbox: ReturnType<typeof peerOutbox>, maxRuns = 10) {
  let runs = 0
  while (runs < maxRuns && (await runDurableObjectAlarm(outbox))) runs++
  return runs
}

describe('PeerOutbox: queueing', () => {
  it('stores a push durably and schedules delivery at once', async () => {
    const peer = await insertPeer()
    const outbox = peerOutbox(env, peer.id)
    await holdOutbox(outbox)
    const before = Date.now()
    await outbox.enqueue(locationChange('PUT', 'LOC1', { name: 'one' }), EMSP)
    await evictDurableObject(outbox) // a fresh instance reads the queue from storage
    expect(await outbox.stats()).toMatchObject({ depth: 1, delivered: 0, rejected: 0, last_error: null })
    expect(await scheduledAlarm(outbox)).toBeGreaterThanOrEqual(before - 1)
    expect(await outbox.list(10)).toMatchObject([{ seq: 1, method: 'PUT', module: 'locations', path: ['NL', 'CPO', 'LOC1'], to: EMSP, attempts: 0, in_flight: false }])
  })
})

describe('PeerOutbox: delivery', () => {
  it('sends each push to the receiver endpoint in the peer version, with routing headers, and counts it', async () => {
    const received = receiverAnswering()
    const peer = await insertPeer({ version: '2.2.1', baseUrl: 'https://msp.example.com/ocpi/2.2.1' })
    const outbox = peerOutbox(env, peer.id)
    const change = { ...locationChange('PUT', 'LOC/1+a', { name: 'x' }), bodies: { '2.2.1': { name: 'in 2.2.1' }, '2.3.0': { name: 'in 2.3.0' } } }
    await outbox.enqueue(change, EMSP)
    expect(await runDurableObjectAlarm(outbox)).toBe(true)

    expect(received).toHaveLength(1)
    const push = present(received[0], 'the push')
    expect(push.method).toBe('PUT')
    expect(push.url).toBe('https://msp.example.com/ocpi/2.2.1/receiver/locations/NL/CPO/LOC%2F1%2Ba')
    expect(push.body).toEqual({ name: 'in 2.2.1' })
    expect(push.headers.get('Authorization')).toBe(`Token ${btoa('token-we-present')}`)
    expect([push.headers.get('OCPI-from-country-code'), push.headers.get('OCPI-from-party-id')]).toEqual([CPO.country_code, CPO.party_id])
    expect([push.headers.get('OCPI-to-country-code'), push.headers.get('OCPI-to-party-id')]).toEqual([EMSP.country_code, EMSP.party_id])
    const stats = await outbox.stats()
    expect(stats).toMatchObject({ depth: 0, delivered: 1, last_error: null, next_attempt_at: null })
    expect(Date.parse(stats.last_delivery_at!)).toBeGreaterThan(Date.now() - 10_000)
    expect(await runDurableObjectAlarm(outbox)).toBe(false) // nothing left, nothing scheduled
  })

  it('sends a push as it is enqueued, without waiting for its alarm', async () => {
    const received = receiverAnswering()
    const peer = await insertPeer()
    const outbox = peerOutbox(env, peer.id)
    await outbox.enqueue(locationChange('PUT', 'LOC1', { name: 'now' }), EMSP)
    await vi.waitFor(async () => expect(await outbox.stats()).toMatchObject({ depth: 0, delivered: 1 }))
    expect(received.map(({ method, body }) => `${method} ${body.name}`)).toEqual(['PUT now'])
  })

  it('starts a push enqueued while a run is sending in a free slot of that run', async () => {
    const held = gate()
    const received = receiverAnswering(async (push) => {
      if (push.body.name === 'slow') await held.passed
      return ocpiAnswer(1000)
    })
    const peer = await insertPeer()
    const outbox = peerOutbox(env, peer.id)
    await outbox.enqueue(locationChange('PUT', 'LOC1', { name: 'slow' }), EMSP)
    await vi.waitFor(() => expect(received).toHaveLength(1))
    await outbox.enqueue(locationChange('PUT', 'LOC2', { name: 'quick' }), EMSP)
    await vi.waitFor(() => expect(received.map(({ body }) => body.name)).toEqual(['slow', 'quick']))
    held.open()
    await vi.waitFor(async () => expect(await outbox.stats()).toMatchObject({ depth: 0, delivered: 2 }))
  })

  it('presents the token the peer has now once told the peer changed', async () => {
    const received = receiverAnswering()
    const peer = await insertPeer()
    const outbox = peerOutbox(env, peer.id)
    await outbox.enqueue(locationChange('PUT', 'LOC1', { name: 'before' }), EMSP)
    await vi.waitFor(() => expect(received).toHaveLength(1))
    await database(env.DB).update(peers).set({ outbound_token: 'token-after-renewal' }).where(eq(peers.id, peer.id))
    await outbox.peerChanged()
    await outbox.enqueue(locationChange('PUT', 'LOC1', { name: 'after' }), EMSP)
    await vi.waitFor(() => expect(received).toHaveLength(2))
    expect(received.map(({ headers }) => headers.get('Authorization'))).toEqual([`Token ${btoa('token-we-present')}`, `Token ${btoa('token-after-renewal')}`])
  })

  it('sends a DELETE without a body', async () => {
    const received = receiverAnswering()
    const peer = await insertPeer()
    const outbox = peerOutbox(env, peer.id)
    await outbox.enqueue({ ...locationChange('DELETE', 'TARIFF1'), module: 'tariffs', objectKey: 'tariffs/NL/CPO/TARIFF1' }, EMSP)
    await drain(outbox)
    expect(received.map(({ method, url, body }) => ({ method, url, body }))).toEqual([
      { method: 'DELETE', url: 'https://peer.example.com/ocpi/2.3.0/receiver/tariffs/NL/CPO/TARIFF1', body: undefined },
    ])
  })

  it("delivers each object's pushes in enqueue order; after a failure of one object it resumes at that push while the others go on", async () => {
    let failed = false
    const received = receiverAnswering((push) => {
      if (push.url.endsWith('/EVSE1') && !failed) {
        failed = true
        return new Response('down for maintenance', { status: 503 })
      }
      return ocpiAnswer(1000)
    })
    const peer = await insertPeer()
    const outbox = peerOutbox(env, peer.id)
    await outbox.enqueue(locationChange('PUT', 'LOC1', { name: 'first' }), EMSP)
    await outbox.enqueue(locationChange('PATCH', 'LOC1', { status: 'AVAILABLE' }, ['EVSE1']), EMSP)
    await outbox.enqueue(locationChange('PUT', 'LOC2', { name: 'second' }), EMSP)
    await outbox.enqueue(locationChange('PATCH', 'LOC1', { name: 'renamed' }), EMSP)

    expect(await runDurableObjectAlarm(outbox)).toBe(true)
    expect(await outbox.stats()).toMatchObject({ depth: 2, delivered: 2 })
    expect((await outbox.stats()).last_error).toContain('HTTP 503')
    expect((await outbox.list())[0]).toMatchObject({ path: ['NL', 'CPO', 'LOC1', 'EVSE1'], attempts: 1 })
    // Only LOC1 backs off; its next attempt is scheduled, nothing of LOC1 went past the failed push.
    expect(await scheduledAlarm(outbox)).toBeGreaterThan(Date.now())

    await outbox.retryNow()
    await drain(outbox)
    const of = (location: string) => received.filter((push) => push.url.includes(`/${location}`)).map((push) => `${push.method} ${push.url.split('/locations/')[1]}`)
    expect(of('LOC1')).toEqual(['PUT NL/CPO/LOC1', 'PATCH NL/CPO/LOC1/EVSE1', 'PATCH NL/CPO/LOC1/EVSE1', 'PATCH NL/CPO/LOC1'])
    expect(of('LOC2')).toEqual(['PUT NL/CPO/LOC2'])
    expect(await outbox.stats()).toMatchObject({ depth: 0, delivered: 4 })
  })

  it('records a push the peer refuses with a 2xxx status, removes it and goes on with the next', async () => {
    const received = receiverAnswering((push) => (push.body.name === 'bad' ? ocpiAnswer(2001, 'evses.0.uid: Required') : ocpiAnswer(1000)))
    const peer = await insertPeer()
    const outbox = peerOutbox(env, peer.id)
    await outbox.enqueue(locationChange('PUT', 'LOC1', { name: 'bad' }), EMSP)
    await outbox.enqueue(locationChange('PUT', 'LOC2', { name: 'good' }), EMSP)
    await runDurableObjectAlarm(outbox)
    expect(received).toHaveLength(2)
    const stats = await outbox.stats()
    expect(stats).toMatchObject({ depth: 0, delivered: 1, rejected: 1 })
    expect(stats.last_error).toContain('OCPI 2001 evses.0.uid: Required')
    expect(stats.last_error).toContain('/receiver/locations/NL/CPO/LOC1')
  })

  it.each([
    ['a 3xxx server error', () => ocpiAnswer(3000, 'Generic server error')],
    ['HTTP 401', () => ocpiAnswer(2000, 'Invalid token', 401)],
    ['a hub without connection to the receiver (4003)', () => ocpiAnswer(4003, 'Not connected')],
    ['a network error', () => Promise.reject(new TypeError('connection reset'))],
  ])('keeps the push and retries after %s', async (_, answer) => {
    const received = receiverAnswering(answer)
    const peer = await insertPeer()
    const outbox = peerOutbox(env, peer.id)
    await outbox.enqueue(locationChange('PUT', 'LOC1'), EMSP)
    await runDurableObjectAlarm(outbox)
    expect(received).toHaveLength(1)
    expect(await outbox.stats()).toMatchObject({ depth: 1, delivered: 0, rejected: 0 })
    expect(await scheduledAlarm(outbox)).toBeGreaterThan(Date.now())
  })

  it('drops a push for a module the peer has no receiver for, with a recorded error', async () => {
    const received = receiverAnswering()
    const peer = await insertPeer()
    const outbox = peerOutbox(env, peer.id)
    await outbox.enqueue({ ...locationChange('PUT', 'S1'), module: 'sessions', objectKey: 'sessions/NL/CPO/S1' }, EMSP)
    await outbox.enqueue(locationChange('PUT', 'LOC1'), EMSP)
    await drain(outbox)
    expect(received.map((push) => push.url)).toEqual(['https://peer.example.com/ocpi/2.3.0/receiver/locations/NL/CPO/LOC1'])
    const stats = await outbox.stats()
    expect(stats).toMatchObject({ depth: 0, delivered: 1, dropped: 1 })
    expect(stats.last_error).toContain('no sessions RECEIVER endpoint')
  })

  it('delivers at most one batch per alarm run and schedules the next run at once', async () => {
    receiverAnswering()
    const peer = await insertPeer()
    const outbox = peerOutbox(env, peer.id)
    await holdOutbox(outbox)
    for (let index = 0; index < 60; index++) await outbox.enqueue(locationChange('PUT', `LOC${index}`), EMSP)
    await runDurableObjectAlarm(outbox)
    expect(await outbox.stats()).toMatchObject({ depth: 10, delivered: 50 })
    expect(await scheduledAlarm(outbox)).toBeLessThanOrEqual(Date.now())
  })
})

describe('PeerOutbox: a peer that is down', () => {
  it('never drops pushes, backs off exponentially with jitter up to the cap, and delivers everything once the peer is back', async () => {
    // Nothing listens on port 9 (discard): every attempt fails to connect.
    const peer = await insertPeer({ baseUrl: 'http://127.0.0.1:9/ocpi/2.3.0' })
    const outbox = peerOutbox(env, peer.id)
    for (let index = 1; index <= 5; index++) await outbox.enqueue(locationChange('PUT', `LOC${index}`, { name: `v${index}` }), EMSP)

    const delays: number[] = []
    for (let attempt = 1; attempt <= 12; attempt++) {
      expect(await runDurableObjectAlarm(outbox)).toBe(true)
      delays.push((await scheduledAlarm(outbox))! - Date.now())
    }
    delays.forEach((delay, index) => {
      const ceiling = Math.min(MAX_MS, BASE_MS * 2 ** index)
      expect(delay).toBeGreaterThan(ceiling / 2 - 100)
      expect(delay).toBeLessThanOrEqual(ceiling)
    })
    const stats = await outbox.stats()
    expect(stats).toMatchObject({ depth: 5, delivered: 0, rejected: 0 })
    expect(stats.last_error).toContain('127.0.0.1:9')
    expect((await outbox.list())[0]).toMatchObject({ path: ['NL', 'CPO', 'LOC1'], attempts: 12 })

    const received = receiverAnswering()
    await outbox.retryNow()
    await drain(outbox)
    expect(received.map((push: ReceivedPush) => push.body.name)).toEqual(['v1', 'v2', 'v3', 'v4', 'v5'])
    expect(await outbox.stats()).toMatchObject({ depth: 0, delivered: 5 })
  })

  it('holds pushes for a peer that is not registered (any more) and retries slowly', async () => {
    const received = receiverAnswering()
    const outbox = testOutbox(uniqueId('gone'))
    await outbox.enqueue(locationChange('PUT', 'LOC1'), EMSP)
    await runDurableObjectAlarm(outbox)
    expect(received).toHaveLength(0)
    const stats = await outbox.stats()
    expect(stats.depth).toBe(1)
    expect(stats.last_error).toContain('not registered')
    expect((await scheduledAlarm(outbox))! - Date.now()).toBeGreaterThan(MAX_MS / 2 - 1_000)
  })

  it('holds pushes while the peer is suspended', async () => {
    const received = receiverAnswering()
    const peer = await insertPeer({ status: 'SUSPENDED' })
    const outbox = peerOutbox(env, peer.id)
    await outbox.enqueue(locationChange('PUT', 'LOC1'), EMSP)
    await runDurableObjectAlarm(outbox)
    expect(received).toHaveLength(0)
    expect((await outbox.stats()).last_error).toContain('status SUSPENDED')
  })

  it('purges the queue of a peer that is gone for good', async () => {
    const outbox = testOutbox(uniqueId('gone'))
    await outbox.enqueue(locationChange('PUT', 'LOC1'), EMSP)
    await outbox.enqueue(locationChange('PUT', 'LOC2'), EMSP)
    expect(await outbox.purge()).toBe(2)
    expect(await outbox.stats()).toMatchObject({ depth: 0, dropped: 2 })
    expect(await runDurableObjectAlarm(outbox)).toBe(false)
  })
})

describe('PeerOutbox: coalescing', () => {
  it('merges an undelivered PATCH into the queued PUT of the same path, later fields winning', async () => {
    const received = receiverAnswering()
    const peer = await insertPeer()
    const outbox = peerOutbox(env, peer.id)
    await holdOutbox(outbox)
    await outbox.enqueue(locationChange('PUT', 'LOC1', { name: 'one', city: 'Utrecht', last_updated: '2026-01-01T00:00:00Z' }), EMSP)
    await outbox.enqueue(locationChange('PATCH', 'LOC1', { name: 'two', last_updated: '2026-01-01T00:00:01Z' }), EMSP)
    await outbox.enqueue(locationChange('PATCH', 'LOC1', { publish: false, last_updated: '2026-01-01T00:00:02Z' }), EMSP)
    expect(await outbox.stats()).toMatchObject({ depth: 1, coalesced: 2 })
    await drain(outbox)
    expect(received.map(({ method, body }) => ({ method, body }))).toEqual([
      { method: 'PUT', body: { name: 'two', city: 'Utrecht', publish: false, last_updated: '2026-01-01T00:00:02Z' } },
    ])
  })

  it('lets a PUT replace queued PUTs and PATCHes of the same path', async () => {
    const received = receiverAnswering()
    const peer = await insertPeer()
    const outbox = peerOutbox(env, peer.id)
    await holdOutbox(outbox)
    await outbox.enqueue(locationChange('PATCH', 'LOC1', { name: 'a' }), EMSP)
    await outbox.enqueue(locationChange('PUT', 'LOC1', { name: 'b' }), EMSP)
    await outbox.enqueue(locationChange('PUT', 'LOC1', { name: 'c' }), EMSP)
    expect(await outbox.stats()).toMatchObject({ depth: 1, coalesced: 2 })
    await drain(outbox)
    expect(received.map(({ method, body }) => `${method} ${body.name}`)).toEqual(['PUT c'])
  })

  it('never merges across another path of the same object, a DELETE, or another addressee', async () => {
    const received = receiverAnswering()
    const peer = await insertPeer()
    const outbox = peerOutbox(env, peer.id)
    await outbox.enqueue(locationChange('PUT', 'LOC1', { name: 'a' }), EMSP)
    await outbox.enqueue(locationChange('PATCH', 'LOC1', { status: 'AVAILABLE' }, ['EVSE1']), EMSP)
    await outbox.enqueue(locationChange('PATCH', 'LOC1', { name: 'b' }), EMSP) // the EVSE PATCH sits between: no merge
    await outbox.enqueue(locationChange('DELETE', 'LOC1'), EMSP)
    await outbox.enqueue(locationChange('PATCH', 'LOC1', { name: 'd' }), EMSP)
    await outbox.enqueue(locationChange('PATCH', 'LOC1', { name: 'e' }), { country_code: 'BE', party_id: 'OTH' })
    await drain(outbox)
    expect(received.map(({ method, url, body }) => `${method} ${url.split('/locations/')[1]} ${body?.name ?? body?.status ?? ''}`.trim())).toEqual([
      'PUT NL/CPO/LOC1 a', 'PATCH NL/CPO/LOC1/EVSE1 AVAILABLE', 'PATCH NL/CPO/LOC1 b', 'DELETE NL/CPO/LOC1', 'PATCH NL/CPO/LOC1 d', 'PATCH NL/CPO/LOC1 e',
    ])
  })

  it('lets a PUT of the whole object replace the queued PUTs and PATCHes of it and of its EVSEs', async () => {
    const received = receiverAnswering()
    const peer = await insertPeer()
    const outbox = peerOutbox(env, peer.id)
    await holdOutbox(outbox)
    await outbox.enqueue(locationChange('PUT', 'LOC1', { name: 'a' }), EMSP)
    await outbox.enqueue(locationChange('PATCH', 'LOC1', { status: 'AVAILABLE' }, ['EVSE1']), EMSP)
    await outbox.enqueue(locationChange('PATCH', 'LOC1', { name: 'b' }), EMSP)
    await outbox.enqueue(locationChange('PUT', 'LOC1', { name: 'c' }), EMSP)
    await drain(outbox)
    expect(received.map(({ method, url, body }) => `${method} ${url.split('/locations/')[1]} ${body?.name ?? ''}`)).toEqual(['PUT NL/CPO/LOC1 c'])
    expect(await outbox.stats()).toMatchObject({ coalesced: 3 })
  })

  it('never lets an older version replace or follow a newer one of the same object', async () => {
    const received = receiverAnswering()
    const peer = await insertPeer()
    const outbox = peerOutbox(env, peer.id)
    const whole = (name: string) => ({ path: ['NL', 'CPO', 'LOC1'], bodies: { '2.3.0': { id: 'LOC1', name }, '2.2.1': { id: 'LOC1', name } } })
    await outbox.enqueue({ ...locationChange('PUT', 'LOC1', { name: 'v1' }), version: 1 }, EMSP)
    await drain(outbox)
    // Committed as 2, 3, 4; queued as 2, 4, 3: 4 skips 3, so it goes whole; 3 arrives after 4 and is dropped.
    await outbox.enqueue({ ...locationChange('PATCH', 'LOC1', { city: 'v2' }), version: 2, snapshot: whole('v2') }, EMSP)
    await drain(outbox)
    await outbox.enqueue({ ...locationChange('PATCH', 'LOC1', { postal_code: 'v4' }), version: 4, snapshot: whole('v4') }, EMSP)
    await outbox.enqueue({ ...locationChange('PATCH', 'LOC1', { address: 'v3' }), version: 3, snapshot: whole('v3') }, EMSP)
    await drain(outbox)
    expect(received.map(({ method, body }) => `${method} ${JSON.stringify(body.name ?? body.city ?? body.postal_code)}`)).toEqual(['PUT "v1"', 'PATCH "v2"', 'PUT "v4"'])
    expect(await outbox.stats()).toMatchObject({ stale: 1, depth: 0 })
  })

  it('never changes a push while it is in flight', async () => {
    const peer = await insertPeer()
    const outbox = peerOutbox(env, peer.id)
    const received = await runInDurableObject(outbox, async (instance: PeerOutbox) => {
      // Everything here runs in the Durable Object's own context, so the request can be held open while more arrives.
      const [held, firstArrived] = [gate(), gate()]
      const received = receiverAnswering(async (_, index) => {
        if (index === 0) {
          firstArrived.open()
          await held.passed
        }
        return ocpiAnswer(1000)
      })
      await instance.enqueue(locationChange('PUT', 'LOC1', { name: 'a' }), EMSP)
      const run = instance.alarm()
      await firstArrived.passed
      await instance.enqueue(locationChange('PATCH', 'LOC1', { name: 'b' }), EMSP)
      await instance.enqueue(locationChange('PUT', 'LOC1', { name: 'c' }), EMSP) // supersedes the queued PATCH, not the PUT in flight
      expect(instance.list()).toMatchObject([{ method: 'PUT', in_flight: true }, { method: 'PUT', in_flight: false }])
      held.open()
      await run
      return received.map(({ method, body }) => `${method} ${body.name}`)
    })
    expect(received).toEqual(['PUT a', 'PUT c'])
  })
})
