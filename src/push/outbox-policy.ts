import { samePartyRef, type PartyRef } from '../ocpi/context'
import { OcpiClientError, type OcpiResponse } from '../peers/client'
import type { PushChange } from './types'

/** What one delivery attempt means for the queued push. */
export type DeliveryOutcome =
  | { kind: 'delivered' }
  /** The peer answered and refused the data: recorded, removed, never retried. */
  | { kind: 'rejected'; error: string }
  /** The peer could not take it now: keep it at the head of the queue and try again later. */
  | { kind: 'retry'; error: string }
  /** Never sent: the peer offers no receiver for the module, or the change has no body in the peer's version. */
  | { kind: 'dropped'; error: string }

// HTTP errors without an OCPI envelope that say the request itself is wrong: sending it again cannot succeed.
const PERMANENT_HTTP_STATUSES = new Set([400, 413, 415, 422])

/** Classifies a peer's OCPI answer (status_code classes: 1xxx success, 2xxx client, 3xxx server, 4xxx hub errors). */
export function outcomeOfResponse(response: OcpiResponse): DeliveryOutcome {
  const { status_code: statusCode, http_status: httpStatus } = response
  const error = `OCPI ${statusCode}${response.status_message ? ` ${response.status_message}` : ''} (HTTP ${httpStatus})`
  // A 401 means our token is not (yet, or no longer) accepted, e.g. mid credentials rotation: the data is fine.
  if (httpStatus === 401) return { kind: 'retry', error }
  if (statusCode >= 1000 && statusCode < 2000) return { kind: 'delivered' }
  // 4001: the hub does not know the receiver (OCPI-to), which a retry does not change.
  if ((statusCode >= 2000 && statusCode < 3000) || statusCode === 4001) return { kind: 'rejected', error }
  return { kind: 'retry', error }
}

/** Classifies an attempt that produced no OCPI answer. */
export function outcomeOfError(error: unknown): DeliveryOutcome {
  const message = error instanceof Error ? error.message : String(error)
  if (!(error instanceof OcpiClientError)) return { kind: 'retry', error: message }
  // HTTP 2xx without an envelope: the peer took the request but answered outside OCPI; sending it again would duplicate it.
  if (error.kind === 'envelope') return { kind: 'delivered' }
  if (error.kind === 'http' && PERMANENT_HTTP_STATUSES.has(error.http_status ?? 0)) return { kind: 'rejected', error: message }
  return { kind: 'retry', error: message }
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
 * A PATCH folded into an earlier, still undelivered PUT or PATCH of the same object and path: a shallow merge of the
 * bodies per version (the later fields win, including last_updated). Undefined when merging would change what a peer
 * receives: another method, another path or addressee, or a version that one of the two cannot be sent in.
 */
export function mergePatch(earlier: PushChange, earlierTo: PartyRef | undefined, later: PushChange, laterTo: PartyRef | undefined): PushChange | undefined {
  if (later.method !== 'PATCH' || (earlier.method !== 'PUT' && earlier.method !== 'PATCH')) return undefined
  if (earlier.objectKey !== later.objectKey || !samePath(earlier.path, later.path) || !sameAddressee(earlierTo, laterTo)) return undefined
  const versions = Object.keys(later.bodies) as (keyof PushChange['bodies'])[]
  if (versions.length !== Object.keys(earlier.bodies).length || versions.some((version) => !isObject(earlier.bodies[version]) || !isObject(later.bodies[version]))) {
    return undefined
  }
  const bodies = Object.fromEntries(versions.map((version) => [version, { ...(earlier.bodies[version] as object), ...(later.bodies[version] as object) }]))
  return { ...earlier, bodies }
}

/** A later PUT replaces an undelivered PUT or PATCH at the same path: the peer only needs the newest full object. */
export function supersededBy(earlier: PushChange, earlierTo: PartyRef | undefined, later: PushChange, laterTo: PartyRef | undefined): boolean {
  return later.method === 'PUT' && (earlier.method === 'PUT' || earlier.method === 'PATCH') && earlier.objectKey === later.objectKey &&
    samePath(earlier.path, later.path) && sameAddressee(earlierTo, laterTo)
}

const samePath = (left: readonly string[], right: readonly string[]) => left.length === right.length && left.every((segment, index) => segment === right[index])

const sameAddressee = (left: PartyRef | undefined, right: PartyRef | undefined) => (left && right ? samePartyRef(left, right) : left === right)

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null && !Array.isArray(value)
