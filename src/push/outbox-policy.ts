import { samePartyRef, type PartyRef } from '../ocpi/context'
import { OcpiClientError, type OcpiResponse } from '../peers/client'
import type { PushChange } from './types'

/** What one delivery attempt means for the queued push. */
export type DeliveryOutcome =
  | { kind: 'delivered' }
  /** The peer answered and refused the data: recorded, removed, never retried. */
  | { kind: 'rejected'; error: string }
  /**
   * The peer could not take it now: keep it at the head of its object's queue and try again later. `peer`: the whole
   * peer is unavailable (unreachable, rate limiting, refusing our token), so every object waits; `object`: only this
   * object's pushes wait, unless failures on several objects show that the peer is down after all.
   */
  | { kind: 'retry'; scope: RetryScope; error: string; retry_after_ms?: number; unauthorized?: true }
  /** Never sent: the peer offers no receiver for the module, or the change has no body in the peer's version. */
  | { kind: 'dropped'; error: string }

export type RetryScope = 'peer' | 'object'

/** Retryable failures on this many different objects, with no answer in between, back off the whole peer. */
export const PEER_DOWN_AFTER_FAILING_OBJECTS = 3

/** Pushes a peer's outbox has in flight at once at most (OUTBOX_CONCURRENCY, default 8; docs/push.md, "Delivery"). */
export const DEFAULT_OUTBOX_CONCURRENCY = 8

export const outboxConcurrency = (env: { OUTBOX_CONCURRENCY?: string }) =>
  Math.min(64, Math.max(1, Math.floor(Number(env.OUTBOX_CONCURRENCY)) || DEFAULT_OUTBOX_CONCURRENCY))

// HTTP errors without an OCPI envelope that say the request itself is wrong: sending it again cannot succeed.
const PERMANENT_HTTP_STATUSES = new Set([400, 413, 415, 422])

/** Classifies a peer's OCPI answer (status_code classes: 1xxx success, 2xxx client, 3xxx server, 4xxx hub errors). */
export function outcomeOfResponse(response: OcpiResponse): DeliveryOutcome {
  const { status_code: statusCode, http_status: httpStatus } = response
  const error = `OCPI ${statusCode}${response.status_message ? ` ${response.status_message}` : ''} (HTTP ${httpStatus})`
  // A 401 means our token is not (yet, or no longer) accepted, e.g. mid credentials rotation: the data is fine.
  if (httpStatus === 401) return { kind: 'retry', scope: 'peer', error, unauthorized: true }
  if (statusCode >= 1000 && statusCode < 2000) return { kind: 'delivered' }
  // 4001: the hub does not know the receiver (OCPI-to), which a retry does not change.
  if ((statusCode >= 2000 && statusCode < 3000) || statusCode === 4001) return { kind: 'rejected', error }
  return { kind: 'retry', scope: 'object', error }
}

/** Classifies an attempt that produced no OCPI answer. */
export function outcomeOfError(error: unknown): DeliveryOutcome {
  const message = error instanceof Error ? error.message : String(error)
  if (!(error instanceof OcpiClientError)) return { kind: 'retry', scope: 'object', error: message }
  // HTTP 2xx without an envelope: the peer took the request but answered outside OCPI; sending it again would duplicate it.
  if (error.kind === 'envelope') return { kind: 'delivered' }
  if (error.http_status === 401) return { kind: 'retry', scope: 'peer', error: message, unauthorized: true }
  if (error.kind === 'http' && PERMANENT_HTTP_STATUSES.has(error.http_status ?? 0)) return { kind: 'rejected', error: message }
  // A 429 or 503 with Retry-After (RFC 9110 §10.2.3) is about the peer, not the request: every object waits at least that long.
  if (error.retry_after_ms !== undefined) return { kind: 'retry', scope: 'peer', error: message, retry_after_ms: error.retry_after_ms }
  // Unreachable (no connection) or rate limiting: the peer, not this object. A timeout or a 5xx may be this object's
  // request alone (a slow write on the peer's side); several of them on different objects make it the peer's.
  const peerWide = error.kind === 'network' || error.http_status === 429
  return { kind: 'retry', scope: peerWide ? 'peer' : 'object', error: message }
}

/**
 * Exponential backoff with "equal jitter": the n-th consecutive failure waits between half and all of
 * base * 2^(n-1), capped at max, so many outboxes retrying one recovered peer do not arrive in step.
 */
export function retryDelay(failures: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30))
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

/** retryDelay with the deployment's OUTBOX_RETRY_BASE_MS and OUTBOX_RETRY_MAX_MS (default 1 s and 5 min). */
export const configuredRetryDelay = (env: { OUTBOX_RETRY_BASE_MS?: string; OUTBOX_RETRY_MAX_MS?: string }, failures: number) =>
  retryDelay(failures, Number(env.OUTBOX_RETRY_BASE_MS) || 1_000, Number(env.OUTBOX_RETRY_MAX_MS) || 300_000)

/**
 * Where a change goes given the newest version of its object this outbox already queued (`known`):
 * - older than `known`, or a PATCH/POST of the same version: stale, since what is queued already holds it;
 * - a PATCH that cannot be shown to follow `known` directly (first one seen, or a version skipped): its snapshot, a PUT
 *   of the whole committed object, since the PATCH alone would leave out whatever the skipped versions changed;
 * - otherwise the change as it is.
 * A change without a version is sent as it is.
 */
export function placeByVersion(change: PushChange, known: number | undefined): { kind: 'stale' } | { kind: 'queue'; change: PushChange } {
  const version = change.version
  if (version === undefined) return { kind: 'queue', change }
  if (known !== undefined && (version < known || (version === known && (change.method === 'PATCH' || change.method === 'POST')))) return { kind: 'stale' }
  const follows = known !== undefined && version === known + 1
  if (change.method === 'PATCH' && !follows && change.snapshot) return { kind: 'queue', change: asSnapshot(change) }
  return { kind: 'queue', change }
}

/** The PUT of the whole object a change carries. */
export function asSnapshot(change: PushChange): PushChange {
  const { snapshot, ...rest } = change
  return snapshot ? { ...rest, method: 'PUT', path: snapshot.path, bodies: snapshot.bodies } : change
}

/**
 * A PATCH folded into an earlier, still undelivered PUT or PATCH of the same object and path. The later one is the
 * newer version (enqueue keeps versions ascending per object), so its fields win, including last_updated; into a PUT
 * the result is the later snapshot when it carries one (exact), else the shallow merge. Undefined when merging would
 * change what a peer receives: another method, path or addressee, a version one of the two cannot be sent in, or a
 * list both set (a PATCH merges lists of objects by id, or adds charging periods; a shallow merge would keep one list).
 */
export function mergePatch(earlier: PushChange, earlierTo: PartyRef | undefined, later: PushChange, laterTo: PartyRef | undefined): PushChange | undefined {
  if (later.method !== 'PATCH' || (earlier.method !== 'PUT' && earlier.method !== 'PATCH')) return undefined
  if (earlier.objectKey !== later.objectKey || !samePath(earlier.path, later.path) || !sameAddressee(earlierTo, laterTo)) return undefined
  const versions = Object.keys(later.bodies) as (keyof PushChange['bodies'])[]
  if (versions.length !== Object.keys(earlier.bodies).length || versions.some((version) => !isObject(earlier.bodies[version]) || !isObject(later.bodies[version]))) {
    return undefined
  }
  const stamp = { version: later.version, snapshot: later.snapshot }
  if (earlier.method === 'PUT' && later.snapshot && samePath(later.snapshot.path, earlier.path)) return { ...earlier, bodies: later.snapshot.bodies, ...stamp }
  if (versions.some((version) => bothSetAList(earlier.bodies[version] as Record<string, unknown>, later.bodies[version] as Record<string, unknown>))) return undefined
  const bodies = Object.fromEntries(versions.map((version) => [version, { ...(earlier.bodies[version] as object), ...(later.bodies[version] as object) }]))
  return { ...earlier, bodies, ...stamp }
}

/**
 * A later PUT replaces an undelivered PUT or PATCH at the same path or below it (a PUT of a Location carries its
 * EVSEs and connectors): the peer only needs the newest full object.
 */
export function supersededBy(earlier: PushChange, earlierTo: PartyRef | undefined, later: PushChange, laterTo: PartyRef | undefined): boolean {
  return later.method === 'PUT' && (earlier.method === 'PUT' || earlier.method === 'PATCH') && earlier.objectKey === later.objectKey &&
    isWithin(earlier.path, later.path) && sameAddressee(earlierTo, laterTo) &&
    (earlier.version === undefined || later.version === undefined || earlier.version <= later.version)
}

const bothSetAList = (left: Record<string, unknown>, right: Record<string, unknown>) =>
  Object.keys(right).some((key) => Array.isArray(right[key]) && Array.isArray(left[key]))

const isWithin = (path: readonly string[], prefix: readonly string[]) => path.length >= prefix.length && prefix.every((segment, index) => segment === path[index])

const samePath = (left: readonly string[], right: readonly string[]) => left.length === right.length && left.every((segment, index) => segment === right[index])

const sameAddressee = (left: PartyRef | undefined, right: PartyRef | undefined) => (left && right ? samePartyRef(left, right) : left === right)

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null && !Array.isArray(value)
