// Per-isolate memos of hot reads (a peer by token hash, hosted parties, sharing policies, data versions), so a hot
// request makes no D1 round trip. Staleness is bounded: an entry is used for at most `MEMO_STALENESS_MS` after it was
// read (docs/architecture.md "Hot paths and memos"); every write through this isolate's HTTP handlers forgets the memos
// it may have changed when it completes, so the isolate that made a change sees it at once. Without configuration (a Durable Object, the
// tests' own store calls) the staleness is 0: memos are off and every read goes to D1.

/** Production default: a revoked token or a write elsewhere is seen everywhere within this many milliseconds. */
export const DEFAULT_MEMO_STALENESS_MS = 5_000
const MAX_MEMO_STALENESS_MS = 60_000

let stalenessMs = 0
/** Bumped by every forget: a read that started before a forget is not remembered (it may predate the write). */
let epoch = 0
/**
 * `data`: what any object write changes (the data versions, which key everything remembered about rows); `settings`:
 * what only registration, the management API and explicit invalidation change (peers and their tokens, hosted
 * parties, sharing policies).
 */
export type MemoKind = 'data' | 'settings'
const memos = new Set<{ kind: MemoKind; clear(): void }>()

/** Reads the staleness bound from the worker's vars (unset: the default; "0" turns memos off). */
export function configureMemos(vars: { MEMO_STALENESS_MS?: string }) {
  const raw = vars.MEMO_STALENESS_MS
  const parsed = raw === undefined || raw === '' ? DEFAULT_MEMO_STALENESS_MS : Number(raw)
  stalenessMs = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), MAX_MEMO_STALENESS_MS) : DEFAULT_MEMO_STALENESS_MS
}

/** Forgets this isolate's memos (of one kind, or all) after a write made here, so the next request reads D1 again. */
export function forgetLocalMemos(kind: MemoKind | 'all' = 'all') {
  epoch++
  for (const memo of memos) if (kind === 'all' || memo.kind === kind) memo.clear()
}

interface Entry<V> { at: number; value: V; until: number }

/**
 * A bounded map of values read from D1, each used while younger than the staleness bound (and, optionally, an expiry
 * of its own, e.g. a token's). Inserting past `maxEntries` drops the oldest entry.
 */
export class Memo<V> {
  readonly #entries = new Map<string, Entry<V>>()

  constructor(readonly maxEntries: number, readonly kind: MemoKind = 'settings') {
    memos.add(this)
  }

  /**
   * The remembered value, or `load()`'s, remembered when `keep` says so (e.g. not an unknown token, which must work
   * the moment it is issued) until `until(value)` (epoch ms) at the latest.
   */
  async get(key: string, load: () => Promise<V>, options: { keep?: (value: V) => boolean; until?: (value: V) => number } = {}): Promise<V> {
    if (stalenessMs <= 0) return load()
    const now = Date.now()
    const hit = this.#entries.get(key)
    if (hit && now - hit.at < stalenessMs && now < hit.until) return hit.value
    const started = epoch
    const value = await load()
    if (started === epoch && (options.keep?.(value) ?? true)) this.#remember(key, { at: now, value, until: options.until?.(value) ?? Infinity })
    return value
  }

  delete(key: string) {
    this.#entries.delete(key)
  }

  clear() {
    this.#entries.clear()
  }

  get size() {
    return this.#entries.size
  }

  #remember(key: string, entry: Entry<V>) {
    this.#entries.delete(key)
    if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!)
    this.#entries.set(key, entry)
  }
}

/**
 * A bounded map for facts that are exact for a data version (a filter's total, an offset's keyset position): no
 * staleness of its own, since its keys carry the version they were computed at.
 */
export class BoundedMap<V> {
  readonly #entries = new Map<string, V>()

  constructor(readonly maxEntries: number) {}

  get(key: string): V | undefined {
    return this.#entries.get(key)
  }

  set(key: string, value: V) {
    this.#entries.delete(key)
    if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!)
    this.#entries.set(key, value)
  }

  clear() {
    this.#entries.clear()
  }

  get size() {
    return this.#entries.size
  }
}

/**
 * A least-recently-used map bounded by the bytes of its values, for values that are exact for their key (a page keyed
 * by the data version and the view it was built for): no staleness, only eviction to keep the isolate's memory bounded.
 */
export class ByteBoundedLru<V extends { bytes: number }> {
  readonly #entries = new Map<string, V>()
  #bytes = 0

  constructor(readonly maxBytes: number) {}

  get(key: string): V | undefined {
    const value = this.#entries.get(key)
    if (value === undefined) return undefined
    this.#entries.delete(key)
    this.#entries.set(key, value)
    return value
  }

  set(key: string, value: V) {
    this.delete(key)
    if (value.bytes > this.maxBytes) return
    this.#entries.set(key, value)
    this.#bytes += value.bytes
    for (const [oldest, evicted] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break
      this.#entries.delete(oldest)
      this.#bytes -= evicted.bytes
    }
  }

  delete(key: string) {
    const value = this.#entries.get(key)
    if (value === undefined) return
    this.#entries.delete(key)
    this.#bytes -= value.bytes
  }

  clear() {
    this.#entries.clear()
    this.#bytes = 0
  }

  get bytes() {
    return this.#bytes
  }

  get size() {
    return this.#entries.size
  }
}
