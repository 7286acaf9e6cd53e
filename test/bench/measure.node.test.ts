import { describe, expect, it } from 'vitest'
import { runOpenLoop, scheduleOffsets, summarizeOpenLoop } from '../../bench/lib/open-loop.mjs'
import { formatTarget, latencyTarget, percentile, ratioTarget, withRuntimeBest } from '../../bench/lib/stats.mjs'
import { updateAccounting } from '../../bench/lib/session-accounting.mjs'

// The benchmark's own arithmetic (not the benchmark): percentiles, targets as ratios to the runtime floor, and the
// open-loop scheduler that measures latency from the scheduled send time.

describe('percentile (nearest rank)', () => {
  it('picks the nearest-rank value whatever the input order', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index) // 100..1
    expect(percentile(values, 50)).toBe(50)
    expect(percentile(values, 99)).toBe(99)
    expect(percentile(values, 100)).toBe(100)
    expect(percentile(values, 0)).toBe(1)
  })
  it('is undefined for no samples, and the one value for one sample', () => {
    expect(percentile([], 99)).toBeUndefined()
    expect(percentile([7], 1)).toBe(7)
    expect(percentile([7], 99)).toBe(7)
  })
  it('p99 of 10 samples is the largest: a few samples cannot hide the tail', () => {
    expect(percentile([1, 1, 1, 1, 1, 1, 1, 1, 1, 50], 99)).toBe(50)
  })
})

describe('targets', () => {
  const floor = { requests_per_second: 1000, workerd_cpu_ms_per_request: 0.4 }
  it('a throughput target is the ratio to the floor of the same runtime, with the CPU ratio beside it', () => {
    const target = ratioTarget({ name: 'page', row: { requests_per_second: 600, workerd_cpu_ms_per_request: 0.8 }, floor, min: 0.5 })
    expect(target).toMatchObject({ value: 0.6, pass: true, cpu_ratio: 0.5, target: '>= 0.5' })
    expect(ratioTarget({ name: 'page', row: { requests_per_second: 499 }, floor, min: 0.5 })).toMatchObject({ value: 0.499, pass: false })
  })
  it('exactly at the bound passes', () => {
    expect(ratioTarget({ name: 'versions', row: { requests_per_second: 700 }, floor, min: 0.7 }).pass).toBe(true)
    expect(latencyTarget({ name: 'p99', value_ms: 10, max_ms: 10 }).pass).toBe(true)
    expect(latencyTarget({ name: 'p99', value_ms: 10.1, max_ms: 10 }).pass).toBe(false)
  })
  it('a target that could not be measured is neither pass nor miss', () => {
    expect(ratioTarget({ name: 'page', row: undefined, floor, min: 0.5 }).pass).toBeUndefined()
    expect(latencyTarget({ name: 'p99', value_ms: undefined, max_ms: 10 }).pass).toBeUndefined()
    expect(formatTarget(latencyTarget({ name: 'p99', value_ms: undefined, max_ms: 10 }))).toMatch(/^n\/a/)
  })
  it('prints PASS or MISS with the value and the bound', () => {
    expect(formatTarget(latencyTarget({ name: 'push', value_ms: 120, max_ms: 100 }))).toBe('MISS  push: 120 ms (target <= 100 ms)')
    expect(formatTarget(ratioTarget({ name: 'page', row: { requests_per_second: 600, workerd_cpu_ms_per_request: 0.8 }, floor, min: 0.5 })))
      .toBe('PASS  page: 0.6x (target >= 0.5), workerd CPU 0.8 ms/req (floor 0.4)')
  })
  it('judges what the runtime probe reached by the same bound, and prints it', () => {
    const page = withRuntimeBest(ratioTarget({ name: 'page', row: { requests_per_second: 400 }, floor, min: 0.5 }), { value: 0.45, by: 'bare Worker sending 172 KB' })
    expect(page).toMatchObject({ pass: false, runtime_best: 0.45, runtime_best_pass: false, runtime_best_by: 'bare Worker sending 172 KB' })
    expect(formatTarget(page)).toBe('MISS  page: 0.4x (target >= 0.5); a bare Worker doing only the unavoidable part, same run: 0.45x (misses it too)')
    const tail = withRuntimeBest(latencyTarget({ name: 'p99', value_ms: 44, max_ms: 10 }), { value: 2.1, by: 'probe' })
    expect(tail.runtime_best_pass).toBe(true)
    expect(formatTarget(tail)).toBe('MISS  p99: 44 ms (target <= 10 ms); a bare Worker doing only the unavoidable part, same run: 2.1 ms')
    // Not measured (no probe on this runtime): the target is left as it was.
    expect(withRuntimeBest(latencyTarget({ name: 'p99', value_ms: 44, max_ms: 10 }), {})).not.toHaveProperty('runtime_best')
  })
})

describe('open-loop scheduler', () => {
  it('schedules rate x duration sends at a fixed interval', () => {
    expect(scheduleOffsets(4, 1)).toEqual([0, 250, 500, 750])
    expect(scheduleOffsets(2.5, 2)).toEqual([0, 400, 800, 1200, 1600])
    expect(scheduleOffsets(3, 0.5)).toEqual([0]) // 1.5 sends: the half is not sent
    expect(scheduleOffsets(0, 10)).toEqual([])
  })

  /** A virtual clock: sleeping advances it; a send takes `serviceMs` of it from the moment it starts. */
  function virtualTime() {
    let now = 0
    return { clock: () => now, sleep: async (ms: number) => { now += ms }, advance: (ms: number) => { now += ms } }
  }

  it('measures each latency from the scheduled time, so a stalled sender counts as queueing', async () => {
    const time = virtualTime()
    // The first send blocks the sender for 100 ms (a slow platform accept, an event loop running late): the next sends,
    // scheduled every 10 ms meanwhile, go out late, and their latency includes how late.
    const result = await runOpenLoop({
      rate: 100, durationS: 0.05, clock: time.clock, sleep: time.sleep,
      send: (index) => { if (index === 0) time.advance(100) },
    })
    expect(result.scheduled).toBe(5)
    expect(result.errors).toBe(0)
    const sorted = [...result.latencies].sort((a, b) => a - b)
    // Sends 1..4 were due at 10, 20, 30, 40 ms and went at 100 ms: 90, 80, 70, 60 ms of queueing; send 0 took 100 ms.
    expect(sorted).toEqual([60, 70, 80, 90, 100])
    expect(result.max_send_lag_ms).toBeGreaterThanOrEqual(90)
  })

  it('does not wait for a slow answer before sending the next request (open, not closed, loop)', async () => {
    const started: number[] = []
    const answers: (() => void)[] = []
    const run = runOpenLoop({ rate: 1000, durationS: 0.02, send: () => new Promise<void>((resolve) => { started.push(performance.now()); answers.push(resolve) }) })
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(started).toHaveLength(20) // all sent although none was answered
    answers.forEach((answer) => answer())
    const result = await run
    expect(result.latencies).toHaveLength(20)
  })

  it('counts a failed send as an error, not a sample, and summarizes percentiles', async () => {
    const time = virtualTime()
    const result = await runOpenLoop({ rate: 10, durationS: 1, clock: time.clock, sleep: time.sleep, send: (index) => { if (index % 5 === 0) throw new Error('refused') } })
    expect(result.errors).toBe(2)
    expect(result.latencies).toHaveLength(8)
    expect(summarizeOpenLoop(result, { rate: 10, durationS: 1 })).toMatchObject({ open_loop_rate: 10, samples: 8, scheduled: 10, errors: 2, p99_ms: 0 })
  })
})

describe('updateAccounting (live sessions: no update lost)', () => {
  // A session whose readings at 1000, 2000, 3000, 4000 made periods 1..4; the window is [1500, 3500): updates 2 and 3.
  const session = { id: 's1', periods: 4, readings: [1000, 2000, 3000, 4000], kwh: 4, last_updated: 4000 }
  const push = (periods: number, receivedAt: number, extra = {}) => ({ id: 's1', periods, last_updated: [0, 1000, 2000, 3000, 4000][periods]!, kwh: periods, receivedAt, ...extra })
  const account = (pushes: ReturnType<typeof push>[]) => updateAccounting({ sessions: new Map([['s1', session]]), pushes, from: 1500, to: 3500 })

  it('counts the updates of the window received in order, with their latency, and the final state', () => {
    const result = account([push(0, 10), push(1, 1010), push(2, 2050), push(3, 3020), push(4, 4100)])
    expect(result).toMatchObject({ produced: 2, received: 2, superseded: 0, duplicates: 0, outOfOrder: 0, lost: 0 })
    expect(result.latencies).toEqual([50, 20])
  })
  it('tells an update superseded while queued (a later state carried it) from a lost final state', () => {
    expect(account([push(1, 1010), push(3, 3020), push(4, 4100)])).toMatchObject({ produced: 2, received: 1, superseded: 1, lost: 0 })
    expect(account([push(1, 1010), push(2, 2050)])).toMatchObject({ received: 1, lost: 1 })
    // The final state with other energy than the CPO holds is not the CPO's state.
    expect(account([push(2, 2050), push(3, 3020), push(4, 4100, { kwh: 3.9 })])).toMatchObject({ lost: 1 })
    // A later state than the snapshot carries it.
    expect(account([push(2, 2050), push(3, 3020), push(5, 5100)])).toMatchObject({ lost: 0 })
  })
  it('counts updates that arrive out of order or twice', () => {
    expect(account([push(3, 3020), push(2, 3030), push(3, 3040), push(4, 4100)])).toMatchObject({ received: 2, outOfOrder: 1, duplicates: 1 })
  })
})
