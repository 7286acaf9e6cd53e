import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PeerOutbox } from '../../src/objects/peer-outbox'
import { peerOutbox } from '../../src/push/publish'
import { EMSP, fakePeer, gate, insertPeer, locationChange, ocpiAnswer, purgeTestOutboxes } from '../push/fixtures'
import { AlarmModel } from './alarm-model'

// The outbox under the runtime's alarm rules (alarm-model.ts): whatever interleaves, while pushes are queued an alarm
// is live, one the runtime will run, and so every push is delivered.

let restore: (() => void)[] = []
afterEach(async () => {
  for (const undo of restore) undo()
  restore = []
  await purgeTestOutboxes()
})

/** A clock the test moves; Date.now() in the outbox reads it, and the alarm model clamps past times to it. */
function testClock(start = Date.now()) {
  const clock = { now: start }
  const spy = vi.spyOn(Date, 'now').mockImplementation(() => clock.now)
  restore.push(() => spy.mockRestore())
  return clock
}

describe('PeerOutbox: alarms stay live', () => {
  it('delivers a push enqueued after a run during which a write re-stored the running alarm time', async () => {
    const outbox = peerOutbox(env, (await insertPeer()).id)
    const result = await runInDurableObject(outbox, async (instance: PeerOutbox, state) => {
      const clock = testClock()
      const alarms = new AlarmModel(() => clock.now).install(state.storage)
      const [held, firstArrived] = [gate(), gate()]
      const peer = fakePeer(async (_, index) => {
        if (index === 0) {
          firstArrived.open()
          await held.passed
        }
        return ocpiAnswer(1000)
      })
      restore.push(peer.restore)

      await instance.enqueue(locationChange('PUT', 'A'), EMSP)
      const run = alarms.fire(() => instance.alarm())
      await firstArrived.passed
      // Same millisecond as the alarm that is running: the runtime stores the same time again and schedules nothing.
      await instance.enqueue(locationChange('PUT', 'B'), EMSP)
      held.open()
      await run
      expect(peer.received).toHaveLength(2)

      clock.now += 5
      await instance.enqueue(locationChange('PUT', 'C'), EMSP)
      const liveWhileQueued = alarms.live !== null
      for (let runs = 0; runs < 5 && alarms.due; runs++) await alarms.fire(() => instance.alarm())
      return { liveWhileQueued, received: peer.received.map((push) => push.url.split('/').at(-1)), depth: instance.list().length }
    })
    expect(result).toEqual({ liveWhileQueued: true, received: ['A', 'B', 'C'], depth: 0 })
  })
})

describe('PeerOutbox: a run that fails between deliveries', () => {
  it('ends, and schedules a retry, when picking the next push fails after one was delivered', async () => {
    const outbox = peerOutbox(env, (await insertPeer()).id)
    const outcome = await runInDurableObject(outbox, async (instance: PeerOutbox, state) => {
      const clock = testClock()
      const alarms = new AlarmModel(() => clock.now).install(state.storage)
      const peer = fakePeer(() => ocpiAnswer(1000))
      restore.push(peer.restore)
      const settings = { ...env, OUTBOX_CONCURRENCY: '1' }
      Object.assign(instance, { env: settings })
      for (const id of ['A', 'B', 'C']) await instance.enqueue(locationChange('PUT', id), EMSP)
      // Storage fails once, when the run picks its second push (after the first one was answered).
      const exec = state.storage.sql.exec.bind(state.storage.sql)
      let picks = 0
      Object.assign(state.storage.sql, {
        exec: (query: string, ...bindings: unknown[]) => {
          if (query.includes('p.in_flight = 0') && ++picks === 2) throw new Error('storage hiccup')
          return exec(query, ...bindings)
        },
      })
      restore.push(() => Object.assign(state.storage.sql, { exec }))
      const ran = await Promise.race([alarms.fire(() => instance.alarm()).then(() => 'ended'), new Promise((resolve) => setTimeout(() => resolve('hung'), 2_000))])
      const afterFailure = { ran, delivered: peer.received.length, live: alarms.live !== null, lastError: (await instance.stats()).last_error }
      for (let runs = 0; runs < 10 && instance.list(1).length > 0 && alarms.live !== null; runs++) {
        clock.now = Math.max(clock.now, alarms.live)
        await alarms.fire(() => instance.alarm())
      }
      return { afterFailure, received: peer.received.map((push) => push.url.split('/').at(-1)), depth: instance.list().length }
    })
    expect(outcome.afterFailure).toMatchObject({ ran: 'ended', delivered: 1, live: true, lastError: expect.stringContaining('storage hiccup') })
    expect(outcome).toMatchObject({ received: ['A', 'B', 'C'], depth: 0 })
  })
})

type PeerMode = 'ok' | 'server-error' | 'unreachable' | 'slow'
type Step =
  | { kind: 'write'; object: number; patch: boolean }
  | { kind: 'alarm'; peer: PeerMode; writesMeanwhile: number[] }
  | { kind: 'wait'; ms: number }

const step = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), object: fc.integer({ min: 0, max: 3 }), patch: fc.boolean() }),
  fc.record({
    kind: fc.constant('alarm' as const), peer: fc.constantFrom<PeerMode>('ok', 'server-error', 'unreachable', 'slow'),
    writesMeanwhile: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.constantFrom(0, 1, 1_500, 400_000) }),
)

describe('PeerOutbox: alarms stay live under any interleaving', () => {
  it('keeps an alarm live whenever pushes are queued, and delivers every object at its newest version once the peer answers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const outbox = peerOutbox(env, (await insertPeer()).id)
        const outcome = await runInDurableObject(outbox, async (instance: PeerOutbox, state) => {
          const clock = testClock()
          const alarms = new AlarmModel(() => clock.now).install(state.storage)
          let mode: PeerMode = 'ok'
          let hold: { arrived: () => void; held: Promise<void> } | undefined
          const peer = fakePeer(async () => {
            if (mode === 'unreachable') throw new TypeError('Network connection lost.')
            if (mode === 'server-error') return new Response('bad gateway', { status: 502 })
            const waiting = hold
            hold = undefined
            if (waiting) {
              waiting.arrived()
              await waiting.held
            }
            return ocpiAnswer(1000)
          })
          const versions = new Map<string, number>()
          const write = async (object: number, patch: boolean) => {
            const id = `K${object}`
            const version = (versions.get(id) ?? 0) + 1
            versions.set(id, version)
            const whole = { path: ['NL', 'CPO', id], bodies: { '2.3.0': { id, v: version }, '2.2.1': { id, v: version } } }
            await instance.enqueue(patch
              ? { ...locationChange('PATCH', id, { v: version }), version, snapshot: whole }
              : { ...locationChange('PUT', id, { id, v: version }), version }, EMSP)
          }
          const broken: string[] = []
          const check = (after: string) => {
            if (instance.list(1).length > 0 && alarms.live === null) broken.push(`pushes queued without a live alarm after ${after}`)
          }
          try {
            for (const [index, current] of steps.entries()) {
              if (current.kind === 'write') await write(current.object, current.patch)
              else if (current.kind === 'wait') clock.now += current.ms
              else {
                mode = current.peer
                const held = gate()
                const arrived = new Promise<void>((resolve) => (hold = mode === 'slow' ? { arrived: resolve, held: held.passed } : undefined))
                const run = alarms.fire(() => instance.alarm())
                // Writes while a push is in flight (if the run sends one), in the very millisecond the alarm was due.
                if (mode === 'slow') {
                  await Promise.race([arrived, run])
                  for (const object of current.writesMeanwhile) await write(object, false)
                }
                held.open()
                await run
                hold = undefined
              }
              check(`step ${index} (${current.kind})`)
            }
            // The peer answers again: following the live alarm alone delivers everything.
            mode = 'ok'
            for (let runs = 0; runs < 40 && instance.list(1).length > 0 && alarms.live !== null; runs++) {
              clock.now = Math.max(clock.now, alarms.live)
              await alarms.fire(() => instance.alarm())
              check('a final run')
            }
            const last = new Map<string, number>()
            for (const push of peer.received) if (push.body?.v !== undefined) last.set(push.url.split('/').at(-1)!, push.body.v as number)
            return { broken, depth: instance.list().length, last: [...last].sort(), newest: [...versions].sort() }
          } finally {
            peer.restore()
          }
        })
        expect(outcome.broken).toEqual([])
        expect(outcome.depth).toBe(0)
        expect(outcome.last).toEqual(outcome.newest)
      }),
      { numRuns: 40 },
    )
  })
})
