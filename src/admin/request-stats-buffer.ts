import { countRequest, emptyCounters, type PeerRequestCounters } from './request-stats'

/** How often an isolate sends its gathered counters to the peers' Durable Objects, at most. */
export const STATS_FLUSH_INTERVAL_MS = 5_000

/**
 * The request counters one isolate gathered since its last flush, per peer. Counting costs no I/O; the counts leave
 * the isolate in one call per peer, at most every STATS_FLUSH_INTERVAL_MS, so the hot path makes no D1 query for them.
 */
export class RequestStatsBuffer {
  #pending = new Map<string, PeerRequestCounters>()
  #lastFlush: number

  constructor(now = Date.now()) {
    this.#lastFlush = now
  }

  record(peerId: string, module: string | null, request: { durationMs: number; error: boolean; at: number }): void {
    let counters = this.#pending.get(peerId)
    if (!counters) this.#pending.set(peerId, (counters = { total: emptyCounters(), modules: {} }))
    countRequest(counters.total, request)
    if (module) countRequest((counters.modules[module] ??= emptyCounters()), request)
  }

  /** Everything gathered, taken out of the buffer, once the flush interval has passed (or `force`); else undefined. */
  takeIfDue(now = Date.now(), force = false): Map<string, PeerRequestCounters> | undefined {
    if (this.#pending.size === 0 || (!force && now - this.#lastFlush < STATS_FLUSH_INTERVAL_MS)) return undefined
    const taken = this.#pending
    this.#pending = new Map()
    this.#lastFlush = now
    return taken
  }

  /** One peer's counters, taken out of the buffer now (the stats route shows its own isolate's latest counts). */
  takePeer(peerId: string): PeerRequestCounters | undefined {
    const counters = this.#pending.get(peerId)
    this.#pending.delete(peerId)
    return counters
  }
}
