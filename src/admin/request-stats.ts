// Per-peer request counters: what an isolate gathers between flushes, and what a peer's PeerOutbox keeps. Latency is a
// histogram over fixed log-scale buckets, so two isolates' counts add bucket by bucket and percentiles come out of the
// sum (a mean or a list of samples would not merge; a fixed layout needs no agreement between isolates).

/** Bucket 0 holds everything under MIN_MS; bucket i ≥ 1 holds [MIN_MS·GROWTH^(i-1), MIN_MS·GROWTH^i). */
const MIN_MS = 0.1
/** 2^(1/4): a percentile read from the bucket's geometric middle is within ±9% of the true value. */
const GROWTH = 2 ** 0.25
/** Up to about 10 minutes (0.1 ms · 2^(94/4)); longer requests fall into the last bucket. */
export const BUCKET_COUNT = 96

/** Sparse histogram: bucket index to count. */
export type LatencySketch = Record<number, number>

export interface RequestCounters {
  requests: number
  /** HTTP 4xx/5xx, or an OCPI status code outside 1xxx. */
  errors: number
  /** Epoch ms of the latest request counted. */
  last_seen: number
  latency: LatencySketch
}

/** Counters of one peer: in total and per module (OCPI module id, or `versions`, `details`, `credentials`). */
export interface PeerRequestCounters { total: RequestCounters; modules: Record<string, RequestCounters> }

export function bucketOf(durationMs: number): number {
  if (!(durationMs >= MIN_MS)) return 0
  return Math.min(BUCKET_COUNT - 1, 1 + Math.floor(Math.log(durationMs / MIN_MS) / Math.log(GROWTH)))
}

/** The geometric middle of a bucket, in ms (bucket 0: 0). */
export function bucketValue(bucket: number): number {
  if (bucket <= 0) return 0
  return MIN_MS * GROWTH ** (bucket - 0.5)
}

export const emptyCounters = (): RequestCounters => ({ requests: 0, errors: 0, last_seen: 0, latency: {} })

export function countRequest(counters: RequestCounters, request: { durationMs: number; error: boolean; at: number }): void {
  counters.requests += 1
  if (request.error) counters.errors += 1
  counters.last_seen = Math.max(counters.last_seen, request.at)
  const bucket = bucketOf(request.durationMs)
  counters.latency[bucket] = (counters.latency[bucket] ?? 0) + 1
}

/** `into` plus `from`, in place: counts add, last_seen is the later one. */
export function mergeCounters(into: RequestCounters, from: RequestCounters): RequestCounters {
  into.requests += from.requests
  into.errors += from.errors
  into.last_seen = Math.max(into.last_seen, from.last_seen)
  for (const [bucket, count] of Object.entries(from.latency)) {
    const index = Number(bucket)
    if (!Number.isInteger(index) || index < 0 || index >= BUCKET_COUNT || !(count > 0)) continue
    into.latency[index] = (into.latency[index] ?? 0) + count
  }
  return into
}

export function mergePeerCounters(into: PeerRequestCounters, from: PeerRequestCounters): PeerRequestCounters {
  mergeCounters(into.total, from.total)
  for (const [module, counters] of Object.entries(from.modules)) mergeCounters((into.modules[module] ??= emptyCounters()), counters)
  return into
}

/** The latency below which a fraction `q` of the requests fell (nearest rank), in ms; null without requests. */
export function quantile(sketch: LatencySketch, q: number): number | null {
  const buckets = Object.entries(sketch).map(([bucket, count]) => [Number(bucket), count] as const).sort(([a], [b]) => a - b)
  const total = buckets.reduce((sum, [, count]) => sum + count, 0)
  if (total === 0) return null
  const rank = Math.max(1, Math.ceil(q * total))
  let seen = 0
  for (const [bucket, count] of buckets) {
    seen += count
    if (seen >= rank) return bucketValue(bucket)
  }
  return bucketValue(buckets.at(-1)![0])
}

/** Counters as the management API shows them: percentiles rounded to 0.01 ms, times as ISO strings. */
export function countersView(counters: RequestCounters) {
  const round = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100)
  return {
    requests: counters.requests,
    errors: counters.errors,
    p50_ms: round(quantile(counters.latency, 0.5)),
    p99_ms: round(quantile(counters.latency, 0.99)),
    last_seen: counters.last_seen > 0 ? new Date(counters.last_seen).toISOString() : null,
  }
}
