import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BUCKET_COUNT, bucketOf, bucketValue, countRequest, countersView, emptyCounters, mergeCounters, mergePeerCounters, quantile, type PeerRequestCounters, type RequestCounters } from '../../src/admin/request-stats'
import { RequestStatsBuffer, STATS_FLUSH_INTERVAL_MS } from '../../src/admin/request-stats-buffer'

const countAll = (durations: readonly number[], at = 1) => {
  const counters = emptyCounters()
  for (const durationMs of durations) countRequest(counters, { durationMs, error: false, at })
  return counters
}
const copy = (counters: RequestCounters): RequestCounters => ({ ...counters, latency: { ...counters.latency } })
const duration = fc.double({ min: 0, max: 600_000, noNaN: true })

describe('latency sketch', () => {
  it('puts a duration into a bucket whose middle is within 10% of it (0.1 ms to 10 minutes)', () => {
    fc.assert(fc.property(fc.double({ min: 0.1, max: 500_000, noNaN: true }), (ms) => {
      const value = bucketValue(bucketOf(ms))
      expect(Math.abs(value - ms) / ms).toBeLessThan(0.1)
    }))
    expect(bucketOf(0)).toBe(0)
    expect(bucketOf(Number.POSITIVE_INFINITY)).toBe(BUCKET_COUNT - 1)
    expect(bucketOf(Number.NaN)).toBe(0)
  })

  it('merges like counting everything in one place, in any order', () => {
    fc.assert(fc.property(fc.array(duration), fc.array(duration), fc.array(duration), (a, b, c) => {
      const [ca, cb, cc] = [countAll(a, 5), countAll(b, 9), countAll(c, 7)]
      const left = mergeCounters(mergeCounters(copy(ca), cb), cc)
      const right = mergeCounters(copy(cc), mergeCounters(copy(cb), ca))
      expect(left).toEqual(right)
      expect(left).toEqual({ ...countAll([...a, ...b, ...c]), last_seen: a.length + b.length + c.length === 0 ? 0 : Math.max(...[a.length && 5, b.length && 9, c.length && 7]) })
    }))
  })

  it('reads percentiles within the bucket error of the exact nearest-rank value', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0.1, max: 60_000, noNaN: true }), { minLength: 1, maxLength: 500 }), fc.constantFrom(0.5, 0.9, 0.99), (durations, q) => {
      const exact = [...durations].sort((x, y) => x - y)[Math.max(1, Math.ceil(q * durations.length)) - 1]!
      const estimate = quantile(countAll(durations).latency, q)!
      expect(Math.abs(estimate - exact) / exact).toBeLessThan(0.1)
    }))
    expect(quantile({}, 0.5)).toBeNull()
  })

  it('shows p50 and p99 of 100 requests: 98 fast ones and 2 slow ones', () => {
    const counters = countAll([...Array<number>(98).fill(10), 2000, 2000], Date.UTC(2026, 11, 6))
    countRequest(counters, { durationMs: 10, error: true, at: Date.UTC(2026, 11, 6, 1) })
    const view = countersView(counters)
    expect(view).toMatchObject({ requests: 101, errors: 1, last_seen: '2026-12-06T01:00:00.000Z' })
    expect(view.p50_ms).toBeCloseTo(10, -0.5)
    expect(view.p99_ms! / 2000).toBeGreaterThan(0.9)
    expect(view.p99_ms! / 2000).toBeLessThan(1.1)
  })

  it('ignores buckets outside the layout when merging (counters come over RPC from other isolates)', () => {
    const merged = mergeCounters(emptyCounters(), { requests: 1, errors: 0, last_seen: 1, latency: { 3: 1, [-1]: 5, 1000: 2, 4: Number.NaN } })
    expect(merged.latency).toEqual({ 3: 1 })
  })

  it('merges per-module counters and the total', () => {
    const into: PeerRequestCounters = { total: countAll([1]), modules: { locations: countAll([1]) } }
    mergePeerCounters(into, { total: countAll([2, 3]), modules: { locations: countAll([2]), tokens: countAll([3]) } })
    expect(into.total.requests).toBe(3)
    expect(into.modules.locations!.requests).toBe(2)
    expect(into.modules.tokens!.requests).toBe(1)
  })
})

describe('RequestStatsBuffer', () => {
  it('hands its counts over at most once per flush interval, per peer and module', () => {
    const buffer = new RequestStatsBuffer(0)
    buffer.record('peer-1', 'locations', { durationMs: 5, error: false, at: 100 })
    buffer.record('peer-1', 'tokens', { durationMs: 7, error: true, at: 200 })
    buffer.record('peer-2', null, { durationMs: 1, error: false, at: 300 })
    expect(buffer.takeIfDue(STATS_FLUSH_INTERVAL_MS - 1)).toBeUndefined()
    const taken = buffer.takeIfDue(STATS_FLUSH_INTERVAL_MS)!
    expect(taken.get('peer-1')).toMatchObject({ total: { requests: 2, errors: 1, last_seen: 200 }, modules: { locations: { requests: 1 }, tokens: { requests: 1, errors: 1 } } })
    expect(taken.get('peer-2')).toMatchObject({ total: { requests: 1 }, modules: {} })
    buffer.record('peer-1', 'locations', { durationMs: 5, error: false, at: 400 })
    expect(buffer.takeIfDue(STATS_FLUSH_INTERVAL_MS + 1)).toBeUndefined()
    expect(buffer.takePeer('peer-1')?.total.requests).toBe(1)
    expect(buffer.takeIfDue(3 * STATS_FLUSH_INTERVAL_MS)).toBeUndefined()
  })
})
