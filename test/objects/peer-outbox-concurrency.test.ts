import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { PeerOutbox } from '../../src/objects/peer-outbox'
import { DEFAULT_OUTBOX_CONCURRENCY, PEER_DOWN_AFTER_FAILING_OBJECTS } from '../../src/push/outbox-policy'
import { peerOutbox } from '../../src/push/publish'
import type { PushChange } from '../../src/push/types'
import { CPO, EMSP, fakePeer, holdOutbox, insertPeer, locationChange, ocpiAnswer, purgeTestOutboxes, type ReceivedPush } from '../push/fixtures'

// One peer's outbox sends up to OUTBOX_CONCURRENCY pushes at once, each to a different object, and keeps every
// object's order: never two in flight for one object, never an older version after a newer one (docs/push.md).

const BASE_MS = Number(env.OUTBOX_RETRY_BASE_MS)
const CONCURRENCY = Number(env.OUTBOX_CONCURRENCY) || DEFAULT_OUTBOX_CONCURRENCY

let restoreFetch: (() => void) | undefined
afterEach(async () => {
  await purgeTestOutboxes()
  restoreFetch?.()
  restoreFetch = undefined
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A peer that answers each push after `delayOf(push)` ms, and counts how many it holds at once, in all and per object. */
function slowPeer(delayOf: (push: ReceivedPush, index: number) => number, answer: (push: ReceivedPush) => Response = () => ocpiAnswer(1000)) {
  const load = { active: 0, most: 0, perObject: new Map<string, number>(), mostPerObject: 0 }
  const peer = fakePeer(async (push, index) => {
    const object = objectOf(push)
    load.active++
    load.most = Math.max(load.most, load.active)
    load.perObject.set(object, (load.perObject.get(object) ?? 0) + 1)
    load.mostPerObject = Math.max(load.mostPerObject, load.perObject.get(object)!)
    await sleep(delayOf(push, index))
    load.active--
    load.perObject.set(object, load.perObject.get(object)! - 1)
    return answer(push)
  })
  restoreFetch = peer.restore
  return { received: peer.received, load }
}

const objectOf = (push: ReceivedPush) => push.url.split('/receiver/')[1]!.split('/').slice(0, 4).join('/')

const sessionsPeer = () => insertPeer({
  endpoints: [{ identifier: 'sessions', role: 'RECEIVER', url: 'https://peer.example.com/ocpi/2.3.0/receiver/sessions' }],
})

function sessionChange(id: string, version: number): PushChange {
  const body = { id, kwh: version, last_updated: new Date().toISOString() }
  return { module: 'sessions', method: 'PUT', path: [CPO.country_code, CPO.party_id, id], bodies: { '2.3.0': body, '2.2.1': body }, from: CPO, objectKey: `sessions/NL/CPO/${id}`, version }
}

async function drain(outbox: ReturnType<typeof peerOutbox>, maxRuns = 20) {
  for (let run = 0; run < maxRuns && (await outbox.stats()).depth > 0; run++) await runDurableObjectAlarm(outbox)
}

/** Delivers `count` pushes of different sessions to a peer answering after `latencyMs`; returns pushes per second. */
async function throughput(count: number, latencyMs: number) {
  const { received, load } = slowPeer(() => latencyMs)
  const outbox = peerOutbox(env, (await sessionsPeer()).id)
  for (let index = 0; index < count; index++) await outbox.enqueue(sessionChange(`S${index}`, 1), EMSP)
  const started = performance.now()
  await drain(outbox)
  const elapsed = performance.now() - started
  // workerd only advances its clock on I/O; Date.now() after the awaits is still a fair wall clock here.
  return { received, load, elapsed, perSecond: (count / elapsed) * 1000 }
}

describe('PeerOutbox: parallel delivery', () => {
  it(`delivers 100 pushes of 100 sessions with ${CONCURRENCY} in flight, in about 100 / ${CONCURRENCY} times the peer's latency`, async () => {
    const latencyMs = 50
    const { received, load, elapsed } = await throughput(100, latencyMs)
    expect(received).toHaveLength(100)
    expect(new Set(received.map(objectOf)).size).toBe(100)
    expect(load.most).toBe(CONCURRENCY)
    expect(load.mostPerObject).toBe(1)
    // One at a time would take 100 × 50 ms = 5 s; the bound leaves room for a loaded machine.
    expect(elapsed).toBeGreaterThanOrEqual((100 / CONCURRENCY) * latencyMs * 0.9)
    expect(elapsed).toBeLessThan((100 * latencyMs) / 2)
  })

  it('reports pushes per second to a peer with 20 ms latency', async () => {
    const { perSecond, received } = await throughput(200, 20)
    expect(received).toHaveLength(200)
    console.log(`outbox throughput: ${perSecond.toFixed(0)} pushes/s to a peer answering in 20 ms (concurrency ${CONCURRENCY})`)
    expect(perSecond).toBeGreaterThan(1000 / 20) // more than one at a time could ever reach
  })

  it("keeps every object's order under any interleaving of writes and peer delays, and ends at each object's newest version", async () => {
    const write = fc.record({ object: fc.integer({ min: 0, max: 4 }), patch: fc.boolean(), pause: fc.integer({ min: 0, max: 3 }) })
    await fc.assert(
      fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 30 }), fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 1, maxLength: 30 }), async (writes, delays) => {
        const { received, load } = slowPeer((_, index) => delays[index % delays.length]!)
        const outbox = peerOutbox(env, (await insertPeer()).id)
        const newest = await runInDurableObject(outbox, async (instance: PeerOutbox) => {
          const versions = new Map<string, number>()
          const runs: Promise<void>[] = []
          for (const [index, { object, patch, pause }] of writes.entries()) {
            const id = `K${object}`
            const version = (versions.get(id) ?? 0) + 1
            versions.set(id, version)
            const whole = { path: [CPO.country_code, CPO.party_id, id], bodies: { '2.3.0': { id, v: version }, '2.2.1': { id, v: version } } }
            const change = patch
              ? { ...locationChange('PATCH', id, { v: version, [`field${index}`]: true }), version, snapshot: whole }
              : { ...locationChange('PUT', id, { id, v: version }), version }
            await instance.enqueue(change, EMSP)
            if (index % 3 === 0) runs.push(instance.alarm()) // deliveries start while writes keep coming
            if (pause) await sleep(pause)
          }
          await Promise.all(runs)
          for (let run = 0; run < 20 && instance.list(1).length > 0; run++) await instance.alarm()
          return versions
        })
        expect(load.mostPerObject).toBe(1)
        for (const [id, version] of newest) {
          const sequence = received.filter((push) => push.url.endsWith(`/${id}`)).map((push) => push.body.v as number)
          expect(sequence.every((value, index) => index === 0 || value > sequence[index - 1]!)).toBe(true)
          expect(sequence.at(-1)).toBe(version)
        }
        await outbox.purge()
        restoreFetch?.()
        restoreFetch = undefined
      }),
      { numRuns: 15 },
    )
  })
})

describe('PeerOutbox: failures of one object and of the peer', () => {
  it('lets one object back off on its own while the others are delivered', async () => {
    const { received } = slowPeer(() => 5, (push) => (push.url.endsWith('/BAD') ? ocpiAnswer(3000, 'Generic server error') : ocpiAnswer(1000)))
    const outbox = peerOutbox(env, (await insertPeer()).id)
    await outbox.enqueue(locationChange('PUT', 'BAD', { name: 'bad' }), EMSP)
    for (let index = 0; index < 20; index++) await outbox.enqueue(locationChange('PUT', `OK${index}`), EMSP)
    await runDurableObjectAlarm(outbox)
    expect(await outbox.stats()).toMatchObject({ depth: 1, delivered: 20 })
    expect((await outbox.list())[0]).toMatchObject({ path: ['NL', 'CPO', 'BAD'], attempts: 1 })

    // Writes of other objects go out at once, while BAD waits for its own backoff.
    await outbox.enqueue(locationChange('PUT', 'LATER'), EMSP)
    const alarm = await runInDurableObject(outbox, (_, state) => state.storage.getAlarm())
    expect(alarm).toBeLessThanOrEqual(Date.now())
    await runDurableObjectAlarm(outbox)
    expect(received.filter((push) => push.url.endsWith('/BAD'))).toHaveLength(1)
    expect(await outbox.stats()).toMatchObject({ depth: 1, delivered: 21 })
    const next = await runInDurableObject(outbox, (_, state) => state.storage.getAlarm())
    expect(next! - Date.now()).toBeGreaterThan(BASE_MS / 2 - 200)
  })

  it('backs off the whole queue when the peer is unreachable, probes with one push, then opens up again', async () => {
    let down = true
    const { received, load } = slowPeer(() => 5, () => {
      if (down) throw new TypeError('Network connection lost.')
      return ocpiAnswer(1000)
    })
    const outbox = peerOutbox(env, (await insertPeer()).id)
    for (let index = 0; index < 20; index++) await outbox.enqueue(locationChange('PUT', `LOC${index}`), EMSP)
    await runDurableObjectAlarm(outbox)
    expect(received.length).toBeLessThanOrEqual(CONCURRENCY)
    const paused = await runInDurableObject(outbox, (_, state) => state.storage.getAlarm())
    expect(paused! - Date.now()).toBeGreaterThan(BASE_MS / 2 - 200)
    // A new write does not cut the peer's backoff short.
    await outbox.enqueue(locationChange('PUT', 'NEW'), EMSP)
    expect(await runInDurableObject(outbox, (_, state) => state.storage.getAlarm())).toBe(paused)

    const before = received.length
    await runDurableObjectAlarm(outbox)
    expect(received.length - before).toBe(1) // the probe
    expect(await outbox.stats()).toMatchObject({ depth: 21, delivered: 0 })

    down = false
    load.most = 0
    await runDurableObjectAlarm(outbox)
    expect(await outbox.stats()).toMatchObject({ depth: 0, delivered: 21 })
    expect(load.most).toBe(CONCURRENCY)
  })

  it(`backs off the whole queue when ${PEER_DOWN_AFTER_FAILING_OBJECTS} objects fail in a row with a server error`, async () => {
    const { received } = slowPeer(() => 5, () => new Response('bad gateway', { status: 502 }))
    const outbox = peerOutbox(env, (await insertPeer()).id)
    for (let index = 0; index < 20; index++) await outbox.enqueue(locationChange('PUT', `LOC${index}`), EMSP)
    await runDurableObjectAlarm(outbox)
    // Pushes already started may still fail before the third failure halts the run.
    expect(received.length).toBeLessThanOrEqual(CONCURRENCY + PEER_DOWN_AFTER_FAILING_OBJECTS - 1)
    expect((await outbox.stats()).last_error).toContain('backing off the peer')
    const paused = await runInDurableObject(outbox, (_, state) => state.storage.getAlarm())
    await outbox.enqueue(locationChange('PUT', 'NEW'), EMSP)
    expect(await runInDurableObject(outbox, (_, state) => state.storage.getAlarm())).toBe(paused)
  })

  it('waits out a Retry-After of a 429 for the whole queue', async () => {
    slowPeer(() => 1, () => new Response('slow down', { status: 429, headers: { 'Retry-After': '120' } }))
    const outbox = peerOutbox(env, (await insertPeer()).id)
    await outbox.enqueue(locationChange('PUT', 'LOC1'), EMSP)
    await outbox.enqueue(locationChange('PUT', 'LOC2'), EMSP)
    await runDurableObjectAlarm(outbox)
    const alarm = await runInDurableObject(outbox, (_, state) => state.storage.getAlarm())
    expect(alarm! - Date.now()).toBeGreaterThan(100_000)
  })

  it('sends again, after a restart, the pushes that were in flight', async () => {
    const { received } = slowPeer(() => 1)
    const outbox = peerOutbox(env, (await insertPeer()).id)
    await holdOutbox(outbox)
    for (let index = 0; index < 3; index++) await outbox.enqueue(locationChange('PUT', `LOC${index}`), EMSP)
    await runInDurableObject(outbox, (_, state) => state.storage.sql.exec('UPDATE pushes SET in_flight = 1'))
    await evictDurableObject(outbox)
    await drain(outbox)
    expect(received.map(objectOf).sort()).toEqual(['locations/NL/CPO/LOC0', 'locations/NL/CPO/LOC1', 'locations/NL/CPO/LOC2'])
    expect(await outbox.stats()).toMatchObject({ depth: 0, delivered: 3 })
  })
})
