import { DurableObject } from 'cloudflare:workers'
import { databaseFor } from '../db/shards'
import type { Env } from '../env'
import { samePartyRef, type PartyRef } from '../ocpi/context'
import { redact } from '../ocpi/log'
import { isoOrNull } from '../ocpi/types'
import { isSupportedVersion, type OcpiVersion } from '../ocpi/versions'
import { clientTimeout, endpointUrl, ocpiRequest } from '../peers/client'
import { routingOf } from '../peers/hub-routing'
import { peerEndpoint } from '../peers/extensions'
import { getPeer, type Peer } from '../peers/store'
import { noteAnswer } from '../peers/token-rejection'
import { queuedPushRewrite } from '../push/hooks'
import {
  configuredRetryDelay, mergePatch, outboxConcurrency, outcomeOfError, outcomeOfResponse, PEER_DOWN_AFTER_FAILING_OBJECTS, placeByVersion, supersededBy,
  type DeliveryOutcome,
} from '../push/outbox-policy'
import type { OutboxStats, PushChange, QueuedPush } from '../push/types'
import { emptyCounters, mergeCounters, type PeerRequestCounters, type RequestCounters } from '../admin/request-stats'

/** Pushes started per alarm run; the next run follows at once while more are ready. */
const BATCH_SIZE = 50
/** A backoff step past every cap: an unregistered or suspended peer is retried at the slowest rate. */
const SLOWEST = 64
/**
 * How long the outbox remembers an object's newest queued version once nothing of it is queued any more. A push is
 * enqueued by the request that committed its version, seconds later at most; an hour leaves room for slow requests.
 * A forgotten object's next PATCH goes out as the whole object (placeByVersion), never wrong, only larger.
 */
const VERSION_MEMORY_MS = 3_600_000

type PushRow = {
  seq: number
  object_key: string
  change: string
  to_party: string | null
  enqueued_at: number
  attempts: number
  in_flight: number
  last_error: string | null
  /** This object's own backoff: its head is not sent before (epoch ms). */
  not_before: number
  /** When this push last failed for a reason of its own object (epoch ms). */
  failed_at: number | null
}

type StateRow = {
  peer_id: string | null
  failures: number
  delivered: number
  rejected: number
  dropped: number
  coalesced: number
  stale: number
  last_delivery_at: number | null
  last_error: string | null
  last_error_at: number | null
  /** The peer-wide backoff: no push starts before (epoch ms); an enqueue does not cut it short. */
  paused_until: number
  /** The peer's last answer that was not a retryable failure (epoch ms). */
  last_answer_at: number
  /** The alarm time this outbox wrote last (epoch ms; 0: none yet). */
  armed_at: number
}

/** What one delivery run learned that holds back the whole peer. */
type Halt = { error: string; retryAfterMs?: number; slowest?: boolean }

/**
 * How long a delivery run may use the peer as an earlier run read it from D1. Every run needs the peer (its token,
 * version, endpoints, status), and with a run per push a busy outbox read it hundreds of times a second. Registration,
 * renewal and unregistration tell the outbox at once (peerChanged(), purge()); any failed push drops it too, so a
 * retry always goes out with the peer as stored.
 */
const PEER_READ_MS = 1_000

/** The row of request_stats that holds the sum over modules. */
const TOTAL = '*'
/** Refused pushes kept for the management API. */
const REFUSED_KEPT = 100

/** A push the peer refused, as the management API lists it. */
export interface RefusedPush { at: string; module: string; method: string; object_key: string; error: string }

type DeliverablePeer = Peer & { version: OcpiVersion; outbound_token: string }

/**
 * One instance per peer (`idFromName(peer_id)`): an ordered, durable push queue in SQLite storage, drained by alarms.
 * A push is stored before enqueue() returns. Delivery is FIFO per object, one push of an object in flight at a time,
 * and an object's queue stops at the first push the peer cannot take yet, so nothing overtakes an earlier change of
 * the same object; different objects go in parallel (OUTBOX_CONCURRENCY). Retries back off exponentially, per object
 * or for the whole peer, and never give up.
 */
export class PeerOutbox extends DurableObject<Env> {
  #sql = this.ctx.storage.sql

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.#sql.exec(`
      CREATE TABLE IF NOT EXISTS pushes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        object_key TEXT NOT NULL,
        change TEXT NOT NULL,
        to_party TEXT,
        enqueued_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        in_flight INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
      );
      CREATE INDEX IF NOT EXISTS pushes_by_object_key ON pushes (object_key, seq);
      CREATE TABLE IF NOT EXISTS outbox_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        peer_id TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        delivered INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0,
        dropped INTEGER NOT NULL DEFAULT 0,
        coalesced INTEGER NOT NULL DEFAULT 0,
        stale INTEGER NOT NULL DEFAULT 0,
        last_delivery_at INTEGER,
        last_error TEXT,
        last_error_at INTEGER
      );
      INSERT OR IGNORE INTO outbox_state (id) VALUES (1);
      CREATE TABLE IF NOT EXISTS object_versions (
        object_key TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        enqueued_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS object_versions_by_enqueued_at ON object_versions (enqueued_at);
      CREATE TABLE IF NOT EXISTS request_stats (
        module TEXT PRIMARY KEY,
        counters TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS refused_pushes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        module TEXT NOT NULL,
        method TEXT NOT NULL,
        object_key TEXT NOT NULL,
        error TEXT NOT NULL
      );
    `)
    // Outboxes created before these columns existed.
    this.#addColumn('outbox_state', 'stale', 'INTEGER NOT NULL DEFAULT 0')
    this.#addColumn('outbox_state', 'paused_until', 'INTEGER NOT NULL DEFAULT 0')
    this.#addColumn('outbox_state', 'last_answer_at', 'INTEGER NOT NULL DEFAULT 0')
    this.#addColumn('outbox_state', 'armed_at', 'INTEGER NOT NULL DEFAULT 0')
    this.#addColumn('pushes', 'not_before', 'INTEGER NOT NULL DEFAULT 0')
    this.#addColumn('pushes', 'failed_at', 'INTEGER')
  }

  #addColumn(table: string, column: string, definition: string) {
    if (this.#sql.exec<{ n: number }>(`SELECT count(*) AS n FROM pragma_table_info('${table}') WHERE name = ?`, column).one().n === 0) {
      this.#sql.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`)
    }
  }

  /**
   * Queues one change for this peer, addressed to `to` (OCPI-to). Durable once this returns. publish() sends the change
   * as its JSON text: serialized once for all its peers rather than once per peer, and stored as it came unless this
   * outbox changes it (a snapshot instead of the PATCH, a merge).
   */
  async enqueue(change: PushChange | string, to?: PartyRef): Promise<void> {
    this.#rememberPeer()
    const received = typeof change === 'string' ? (JSON.parse(change) as PushChange) : change
    const placed = this.#placeByVersion(received)
    if (!placed) return
    if (placed.method === 'PUT') this.#dropSupersededBy(placed, to)
    if (placed.method !== 'PATCH' || !this.#mergeIntoQueued(placed, to)) {
      this.#sql.exec(
        'INSERT INTO pushes (object_key, change, to_party, enqueued_at) VALUES (?, ?, ?, ?)',
        placed.objectKey, placed === received && typeof change === 'string' ? change : JSON.stringify(placed), to ? JSON.stringify(to) : null, Date.now(),
      )
    }
    // A new object need not wait for another object's backoff, only for the peer-wide one, which it must not cut short.
    const { paused_until, armed_at } = this.#state()
    const due = Math.max(Date.now(), paused_until)
    // The alarm time this outbox wrote last (#arm; purge() clears it with the alarm). Only an alarm still ahead is sure
    // to run: one whose time has passed may have run already (see #arm).
    if (armed_at === 0 || armed_at > due || armed_at <= Date.now()) await this.#arm(due, armed_at)
    if (due <= Date.now()) this.#deliverSoon()
  }

  /**
   * Starts delivering now instead of when the alarm fires: an alarm runs some milliseconds after its time, and under
   * load every push waited for one. The alarm stays armed as the durable backstop (an eviction mid-run); when it fires
   * it joins the run in progress (alarm()) or finds the queue already drained. A run in progress takes the new push as
   * soon as it has a free slot (#refill).
   */
  #deliverSoon() {
    if (this.#refill) this.#refill()
    else if (!this.#running) void this.alarm()
  }

  /**
   * Sets the alarm to `at`, or to now if that has passed. The runtime schedules an alarm only when a write changes the
   * stored time, and forgets an alarm once its handler has run, while getAlarm() may still answer its time. Writing
   * that same time again (a push enqueued in the very millisecond the running alarm was set for) would leave nothing
   * scheduled and the queue stalled, so a time already due that equals the last one written moves on by 1 ms.
   */
  async #arm(at: number, armed_at = this.#state().armed_at) {
    const now = Date.now()
    let time = Math.max(at, now)
    if (time === armed_at && armed_at <= now) time = armed_at + 1
    this.#sql.exec('UPDATE outbox_state SET armed_at = ?', time)
    await this.ctx.storage.setAlarm(time)
  }

  async stats(): Promise<OutboxStats> {
    const state = this.#state()
    const { depth, oldest } = this.#sql.exec<{ depth: number; oldest: number | null }>('SELECT count(*) AS depth, min(enqueued_at) AS oldest FROM pushes').one()
    const alarm = depth > 0 ? await this.ctx.storage.getAlarm() : null
    return {
      depth,
      last_error: state.last_error,
      last_error_at: isoOrNull(state.last_error_at),
      last_delivery_at: isoOrNull(state.last_delivery_at),
      rejected: state.rejected,
      delivered: state.delivered,
      dropped: state.dropped,
      coalesced: state.coalesced,
      stale: state.stale,
      next_attempt_at: isoOrNull(alarm),
      oldest_enqueued_at: isoOrNull(oldest),
    }
  }

  /** The undelivered pushes, oldest first. */
  list(limit = 100): QueuedPush[] {
    return this.#sql
      .exec<PushRow>('SELECT * FROM pushes ORDER BY seq LIMIT ?', Math.max(1, Math.min(limit, 1000)))
      .toArray()
      .map((row) => {
        const change = JSON.parse(row.change) as PushChange
        return {
          seq: row.seq, module: change.module, method: change.method, path: change.path, object_key: row.object_key,
          to: addressee(row) ?? null, enqueued_at: new Date(row.enqueued_at).toISOString(),
          attempts: row.attempts, in_flight: row.in_flight === 1, last_error: row.last_error,
        }
      })
  }

  /**
   * Adds an isolate's request counters of this peer (src/admin/request-stats.ts). The peer's requests are counted here,
   * one instance per peer, so the counts need no D1 write; `TOTAL` holds the sum over modules.
   */
  mergeRequestStats(counters: PeerRequestCounters): void {
    for (const [module, delta] of [[TOTAL, counters.total], ...Object.entries(counters.modules)] as const) {
      const stored = this.#sql.exec<{ counters: string }>('SELECT counters FROM request_stats WHERE module = ?', module).toArray()[0]
      const merged = mergeCounters(stored ? (JSON.parse(stored.counters) as RequestCounters) : emptyCounters(), delta)
      this.#sql.exec('INSERT INTO request_stats (module, counters) VALUES (?, ?) ON CONFLICT (module) DO UPDATE SET counters = excluded.counters', module, JSON.stringify(merged))
    }
  }

  /** The peer's request counters as merged so far. */
  requestStats(): PeerRequestCounters {
    const result: PeerRequestCounters = { total: emptyCounters(), modules: {} }
    for (const row of this.#sql.exec<{ module: string; counters: string }>('SELECT module, counters FROM request_stats').toArray()) {
      const counters = JSON.parse(row.counters) as RequestCounters
      if (row.module === TOTAL) result.total = counters
      else result.modules[row.module] = counters
    }
    return result
  }

  /** The latest pushes the peer refused (OCPI 2xxx, not retried), newest first; the last REFUSED_KEPT are kept. */
  refused(limit = 50): RefusedPush[] {
    return this.#sql
      .exec<{ seq: number; at: number; module: string; method: string; object_key: string; error: string }>(
        'SELECT * FROM refused_pushes ORDER BY seq DESC LIMIT ?', Math.max(1, Math.min(limit, REFUSED_KEPT)),
      )
      .toArray()
      .map((row) => ({ at: new Date(row.at).toISOString(), module: row.module, method: row.method, object_key: shownObjectKey(row.module, row.object_key), error: row.error }))
  }

  /** The peer's registration changed (token, version, endpoints, status): the next run reads it again. */
  peerChanged(): void {
    this.#peerRead = undefined
  }

  /** Skips the backoff wait: the next attempt runs now (e.g. after the operator fixed the peer). */
  async retryNow(): Promise<void> {
    this.#peerRead = undefined
    this.#sql.exec('UPDATE outbox_state SET paused_until = 0')
    this.#sql.exec('UPDATE pushes SET not_before = 0')
    if (this.#depth() > 0) await this.#arm(Date.now())
  }

  /** Drops every undelivered push: for a peer that is unregistered for good. Returns how many were dropped. */
  async purge(): Promise<number> {
    this.#peerRead = undefined
    const depth = this.#depth()
    this.#sql.exec('DELETE FROM pushes')
    this.#sql.exec('UPDATE outbox_state SET dropped = dropped + ?, failures = 0, armed_at = 0', depth)
    await this.ctx.storage.deleteAlarm()
    return depth
  }

  /**
   * Takes out the undelivered pushes addressed (OCPI-to) to `party`, oldest first, so the caller queues them for another
   * peer (e.g. the party moved there). In flight: left alone. Each PushChange is returned as its stored JSON (its
   * bodies are `unknown`, which RPC types cannot carry).
   */
  takeAddressedTo(party: PartyRef): string[] {
    const rows = this.#sql.exec<PushRow>('SELECT * FROM pushes WHERE in_flight = 0 AND to_party IS NOT NULL ORDER BY seq').toArray()
    const taken = rows.filter((row) => samePartyRef(addressee(row)!, party))
    for (const { seq } of taken) this.#sql.exec('DELETE FROM pushes WHERE seq = ?', seq)
    return taken.map((row) => row.change)
  }

  /**
   * Applies the rewrite an extension registered under `name` (src/push/hooks.ts) to every undelivered push, e.g.
   * replacing a forgotten token's identifiers by a pseudonym. Returns how many pushes changed.
   */
  rewriteQueued(name: string, args: unknown): number {
    const rewrite = queuedPushRewrite(name)
    let changed = 0
    for (const row of this.#sql.exec<PushRow>('SELECT * FROM pushes').toArray()) {
      const value = rewrite(JSON.parse(row.change) as PushChange, args)
      if (!value) continue
      this.#sql.exec('UPDATE pushes SET change = ?, object_key = ? WHERE seq = ?', JSON.stringify(value), value.objectKey, row.seq)
      changed++
    }
    return changed
  }

  /** The delivery run in progress in this instance, if any. */
  #running: Promise<void> | undefined
  /** While a run is sending (#deliverReady): starts ready pushes up to its free slots. */
  #refill: (() => void) | undefined
  /** The peer as a recent run read it (PEER_READ_MS). */
  #peerRead: { at: number; peer: Promise<Peer | undefined> } | undefined

  #readPeer(peerId: string): Promise<Peer | undefined> {
    const now = Date.now()
    if (!this.#peerRead || now - this.#peerRead.at >= PEER_READ_MS) {
      const read = { at: now, peer: getPeer(databaseFor(this.env), peerId) }
      this.#peerRead = read
      read.peer.catch(() => this.#peerRead === read && (this.#peerRead = undefined))
    }
    return this.#peerRead.peer
  }

  override async alarm(): Promise<void> {
    // One run at a time: a second one (an alarm fired while a forced run is still sending) would reset the first one's
    // in-flight mark and send the same head again, possibly after a newer push. It waits for the running one instead.
    if (this.#running) return this.#running
    this.#running = this.#run().finally(() => (this.#running = undefined))
    return this.#running
  }

  async #run(): Promise<void> {
    // Never throw: a thrown alarm is retried a few times by the runtime and then given up, and pushes must not be.
    try {
      await this.#deliverBatch()
    } catch (error) {
      this.#recordError(`outbox: ${errorText(error)}`)
      await this.#scheduleRetry()
    }
  }

  async #deliverBatch(): Promise<void> {
    // A push still marked in flight was cut short (eviction, restart): it was not confirmed, so it is sent again.
    this.#sql.exec('UPDATE pushes SET in_flight = 0 WHERE in_flight = 1')
    this.#sql.exec('UPDATE outbox_state SET paused_until = 0')
    this.#forgetOldVersions()
    const { depth, peer_id: peerId } = this.#sql.exec<{ depth: number; peer_id: string | null }>(
      'SELECT (SELECT count(*) FROM pushes) AS depth, peer_id FROM outbox_state WHERE id = 1',
    ).one()
    if (depth === 0) return
    const peer = peerId ? await this.#readPeer(peerId) : undefined
    if (!isDeliverable(peer)) {
      this.#peerRead = undefined
      this.#recordError(`peer ${peerId}: ${holdReason(peer)}; holding ${this.#depth()} pushes`)
      return this.#scheduleRetry(SLOWEST)
    }
    // Paused, nothing dropped: a renew or refresh clears the mark and calls retryNow(); the slow retry only rechecks it.
    if (peer.token_rejected_at !== null) {
      this.#peerRead = undefined
      this.#recordError(`peer ${peerId}: TOKEN_REJECTED, the peer refuses our token; holding ${this.#depth()} pushes until credentials are renewed`)
      return this.#scheduleRetry(SLOWEST)
    }
    const halt = await this.#deliverReady(peer)
    if (halt) {
      this.#recordError(halt.error)
      return this.#scheduleRetry(halt.slowest ? SLOWEST : undefined, halt.retryAfterMs)
    }
    await this.#scheduleNext()
  }

  /**
   * Sends the ready pushes (each object's oldest, unless that object backs off) with up to OUTBOX_CONCURRENCY in flight,
   * never two of one object, and returns once all have been answered. After a peer-wide failure it starts no more,
   * and the run that follows sends one push first (a probe) before opening up again.
   */
  async #deliverReady(peer: DeliverablePeer): Promise<Halt | undefined> {
    const concurrency = outboxConcurrency(this.env)
    const run = { halt: undefined as Halt | undefined, limit: this.#state().failures > 0 ? 1 : concurrency, streak: peer.unauthorized_streak }
    let started = 0
    let active = 0
    await new Promise<void>((resolve) => {
      const fill = () => {
        // A failure here (storage) halts the run like a failed push: the run must still end, or every later alarm
        // would wait for it (alarm()) and the queue would stall.
        try {
          while (!run.halt && active < run.limit && started < BATCH_SIZE) {
            const row = this.#nextReady()
            if (!row) break
            this.#sql.exec('UPDATE pushes SET in_flight = 1 WHERE seq = ?', row.seq)
            started++
            active++
            void this.#deliverRow(peer, row, run, concurrency)
              .catch((error: unknown) => (run.halt ??= { error: `outbox: ${errorText(error)}` }))
              .finally(() => {
                active--
                fill()
              })
          }
        } catch (error) {
          run.halt ??= { error: `outbox: ${errorText(error)}` }
        }
        if (active === 0) {
          this.#refill = undefined
          resolve()
        }
      }
      this.#refill = fill
      fill()
    })
    return run.halt
  }

  async #deliverRow(peer: DeliverablePeer, row: PushRow, run: { halt?: Halt; limit: number; streak: number }, concurrency: number) {
    const outcome = await this.#attempt(peer, JSON.parse(row.change) as PushChange, addressee(row))
    // The peer took our token (it answered, even with a refusal) or refused it (401): token-rejection.ts counts.
    const unauthorized = outcome.kind === 'retry' && outcome.unauthorized === true
    let tokenRejected = false
    if (unauthorized || outcome.kind === 'delivered' || outcome.kind === 'rejected') {
      const streak = run.streak
      run.streak = unauthorized ? streak + 1 : 0
      tokenRejected = await noteAnswer(this.env, { id: peer.id, unauthorized_streak: streak }, unauthorized)
    }
    const now = Date.now()
    if (outcome.kind !== 'retry') {
      this.#sql.exec('DELETE FROM pushes WHERE seq = ?', row.seq)
      // A delivered or refused push is an answer (last_answer_at): the probe succeeded, so the run opens up to full
      // concurrency.
      this.#recordOutcome(outcome)
      if (outcome.kind === 'rejected') this.#recordRefused(row, outcome.error)
      if (outcome.kind !== 'dropped') run.limit = concurrency
      return
    }
    // Maybe the peer changed (a new token, endpoint or version): the retry reads it again.
    this.#peerRead = undefined
    const error = redact(outcome.error)
    if (outcome.scope === 'peer' || tokenRejected) {
      this.#sql.exec('UPDATE pushes SET in_flight = 0, attempts = attempts + 1, last_error = ? WHERE seq = ?', error, row.seq)
      run.halt ??= tokenRejected
        ? { error: `${outcome.error}; TOKEN_REJECTED, holding ${this.#depth()} pushes until credentials are renewed`, slowest: true }
        : { error: outcome.error, ...(outcome.retry_after_ms === undefined ? {} : { retryAfterMs: outcome.retry_after_ms }) }
      return
    }
    // This object backs off on its own; the others go on.
    const wait = Math.max(outcome.retry_after_ms ?? 0, configuredRetryDelay(this.env, row.attempts + 1))
    this.#sql.exec(
      'UPDATE pushes SET in_flight = 0, attempts = attempts + 1, last_error = ?, failed_at = ?, not_before = ? WHERE seq = ?',
      error, now, now + wait, row.seq,
    )
    this.#recordError(outcome.error)
    const failing = this.#sql.exec<{ n: number }>(
      'SELECT count(DISTINCT object_key) AS n FROM pushes WHERE failed_at >= (SELECT last_answer_at FROM outbox_state WHERE id = 1)',
    ).one().n
    if (failing >= PEER_DOWN_AFTER_FAILING_OBJECTS) run.halt ??= { error: `${outcome.error}; ${failing} objects failing in a row, backing off the peer` }
  }

  /** The oldest push that may go now: the head of its object's queue, not in flight, past its object's backoff. */
  #nextReady(): PushRow | undefined {
    return this.#sql.exec<PushRow>(
      `SELECT * FROM pushes AS p WHERE p.in_flight = 0 AND p.not_before <= ?
         AND NOT EXISTS (SELECT 1 FROM pushes AS q WHERE q.object_key = p.object_key AND q.seq < p.seq)
       ORDER BY p.seq LIMIT 1`,
      Date.now(),
    ).toArray()[0]
  }

  /** After a run: at once while pushes are ready, else when the first object's backoff ends. */
  async #scheduleNext() {
    if (this.#nextReady()) return this.#arm(Date.now())
    const { wake } = this.#sql.exec<{ wake: number | null }>(
      `SELECT min(p.not_before) AS wake FROM pushes AS p
       WHERE NOT EXISTS (SELECT 1 FROM pushes AS q WHERE q.object_key = p.object_key AND q.seq < p.seq)`,
    ).one()
    if (wake !== null) await this.#arm(wake)
  }

  async #attempt(peer: DeliverablePeer, change: PushChange, to: PartyRef | undefined): Promise<DeliveryOutcome> {
    const target = `${change.method} ${change.module}/${change.path.join('/')}`
    const endpoint = peerEndpoint(peer, change.module, 'RECEIVER')
    if (!endpoint) return { kind: 'dropped', error: `${target}: peer offers no ${change.module} RECEIVER endpoint we may use (custom modules need an agreement)` }
    if (!(peer.version in change.bodies)) return { kind: 'dropped', error: `${target}: no body for OCPI ${peer.version}` }
    const url = endpointUrl(endpoint.url, change.path, change.query)
    try {
      const response = await ocpiRequest({
        method: change.method, url, token: peer.outbound_token, version: peer.version, body: change.bodies[peer.version] ?? undefined,
        ...(change.routingHeaders === false ? {} : routingOf(peer, { module: change.module, kind: 'push', from: change.from, to })), retries: 0, timeoutMs: clientTimeout(this.env),
      })
      const outcome = outcomeOfResponse(response)
      return outcome.kind === 'delivered' ? outcome : { ...outcome, error: `${change.method} ${url}: ${outcome.error}` }
    } catch (error) {
      return outcomeOfError(error)
    }
  }

  #recordOutcome(outcome: Exclude<DeliveryOutcome, { kind: 'retry' }>) {
    const now = Date.now()
    // The peer answered (even with a refusal), so it is reachable again: the backoff starts over.
    if (outcome.kind === 'delivered') {
      this.#sql.exec('UPDATE outbox_state SET delivered = delivered + 1, failures = 0, last_delivery_at = ?, last_answer_at = ?', now, now)
    } else if (outcome.kind === 'rejected') {
      this.#sql.exec('UPDATE outbox_state SET rejected = rejected + 1, failures = 0, last_error = ?, last_error_at = ?, last_answer_at = ?', redact(outcome.error), now, now)
    } else {
      this.#sql.exec('UPDATE outbox_state SET dropped = dropped + 1, last_error = ?, last_error_at = ?', redact(outcome.error), now)
    }
  }

  #recordRefused(row: PushRow, error: string) {
    const change = JSON.parse(row.change) as PushChange
    this.#sql.exec(
      'INSERT INTO refused_pushes (at, module, method, object_key, error) VALUES (?, ?, ?, ?, ?)',
      Date.now(), change.module, change.method, row.object_key, redact(error),
    )
    this.#sql.exec('DELETE FROM refused_pushes WHERE seq <= (SELECT max(seq) FROM refused_pushes) - ?', REFUSED_KEPT)
  }

  #recordError(error: string) {
    this.#sql.exec('UPDATE outbox_state SET last_error = ?, last_error_at = ?', redact(error), Date.now())
  }

  /** The peer-wide backoff: nothing starts before it ends, and a new push does not cut it short. */
  async #scheduleRetry(failures?: number, notBeforeMs = 0) {
    const state = this.#sql.exec<{ failures: number }>('UPDATE outbox_state SET failures = failures + 1 RETURNING failures').one()
    const until = Date.now() + Math.max(notBeforeMs, configuredRetryDelay(this.env, failures ?? state.failures))
    this.#sql.exec('UPDATE outbox_state SET paused_until = ?', until)
    await this.#arm(until)
  }

  /**
   * Binds the change to its object's version (placeByVersion): undefined when it is stale (counted), else the change to
   * queue, and the object's newest queued version is remembered. A change without a version makes the outbox forget
   * the object's version, so the next PATCH after it goes out whole.
   */
  #placeByVersion(change: PushChange): PushChange | undefined {
    const known = this.#sql.exec<{ version: number }>('SELECT version FROM object_versions WHERE object_key = ?', change.objectKey).toArray()[0]?.version
    const placed = placeByVersion(change, known)
    if (placed.kind === 'stale') {
      this.#sql.exec('UPDATE outbox_state SET stale = stale + 1')
      return undefined
    }
    if (change.version === undefined) this.#sql.exec('DELETE FROM object_versions WHERE object_key = ?', change.objectKey)
    else {
      this.#sql.exec(
        'INSERT INTO object_versions (object_key, version, enqueued_at) VALUES (?, ?, ?) ON CONFLICT (object_key) DO UPDATE SET version = excluded.version, enqueued_at = excluded.enqueued_at',
        change.objectKey, change.version, Date.now(),
      )
    }
    return placed.change
  }

  /** When this instance last forgot old versions: at most once a minute, not on every run. */
  #forgotAt = 0

  #forgetOldVersions() {
    if (Date.now() - this.#forgotAt < 60_000) return
    this.#forgotAt = Date.now()
    this.#sql.exec(
      'DELETE FROM object_versions WHERE enqueued_at < ? AND object_key NOT IN (SELECT object_key FROM pushes)',
      Date.now() - VERSION_MEMORY_MS,
    )
  }

  /** Removes queued PUTs/PATCHes of the same path that this PUT replaces, newest first, stopping at anything else. */
  #dropSupersededBy(change: PushChange, to: PartyRef | undefined) {
    for (let queued = this.#lastQueued(change.objectKey); queued && supersededBy(queued.change, queued.to, change, to);) {
      this.#sql.exec('DELETE FROM pushes WHERE seq = ?', queued.seq)
      this.#sql.exec('UPDATE outbox_state SET coalesced = coalesced + 1')
      queued = this.#lastQueued(change.objectKey)
    }
  }

  /** Folds a PATCH into the object's last queued push when that is a PUT/PATCH of the same path; false if it cannot. */
  #mergeIntoQueued(change: PushChange, to: PartyRef | undefined): boolean {
    const queued = this.#lastQueued(change.objectKey)
    const merged = queued && mergePatch(queued.change, queued.to, change, to)
    if (!queued || !merged) return false
    this.#sql.exec('UPDATE pushes SET change = ? WHERE seq = ?', JSON.stringify(merged), queued.seq)
    this.#sql.exec('UPDATE outbox_state SET coalesced = coalesced + 1')
    return true
  }

  /** The object's newest queued push, unless it is being delivered right now (then nothing may change it). */
  #lastQueued(objectKey: string) {
    const row = this.#sql.exec<PushRow>('SELECT * FROM pushes WHERE object_key = ? ORDER BY seq DESC LIMIT 1', objectKey).toArray()[0]
    if (!row || row.in_flight) return undefined
    return { seq: row.seq, change: JSON.parse(row.change) as PushChange, to: addressee(row) }
  }

  /** Whether this instance stored its peer id already (once per instance, not once per push). */
  #peerRemembered = false

  #rememberPeer() {
    if (this.#peerRemembered) return
    const peerId = this.ctx.id.name
    if (!peerId) throw new Error('PeerOutbox must be addressed by idFromName(peer_id)')
    this.#sql.exec('UPDATE outbox_state SET peer_id = ? WHERE peer_id IS NULL', peerId)
    this.#peerRemembered = true
  }

  #state(): StateRow {
    return this.#sql.exec<StateRow>('SELECT * FROM outbox_state WHERE id = 1').one()
  }

  #depth(): number {
    return this.#sql.exec<{ depth: number }>('SELECT count(*) AS depth FROM pushes').one().depth
  }
}

// OFFLINE peers are still tried: a successful push is how they come back. PENDING and SUSPENDED ones are held.
function isDeliverable(peer: Peer | undefined): peer is DeliverablePeer {
  return !!peer && !!peer.outbound_token && !!peer.version && isSupportedVersion(peer.version) && (peer.status === 'CONNECTED' || peer.status === 'OFFLINE')
}

function holdReason(peer: Peer | undefined): string {
  if (!peer) return 'not registered'
  if (peer.status !== 'CONNECTED' && peer.status !== 'OFFLINE') return `status ${peer.status}`
  if (!peer.outbound_token) return 'no credentials token to present'
  return `no usable OCPI version (${peer.version})`
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error))

/** Keys of objects that are no personal data; any other key (a token's, a driver tariff's) names a driver. */
const IMPERSONAL_MODULES = new Set(['locations', 'tariffs', 'sessions', 'cdrs', 'hubclientinfo'])
const shownObjectKey = (module: string, objectKey: string) => (IMPERSONAL_MODULES.has(module) ? objectKey : `${module}/[redacted]`)

/** The party a queued push is addressed to (OCPI-to), when it has one. */
const addressee = (row: PushRow): PartyRef | undefined => (row.to_party ? (JSON.parse(row.to_party) as PartyRef) : undefined)
