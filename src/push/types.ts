import type { PartyRef } from '../ocpi/context'
import type { OcpiVersion } from '../ocpi/versions'
import type { Peer } from '../peers/store'

/** One owner write to deliver to peers' receiver interfaces, in the same semantics as received (PUT/PATCH/DELETE/POST). */
export interface PushChange {
  /** ModuleID of the receiver endpoint, e.g. 'locations', or an `x-` extension. */
  module: string
  method: 'PUT' | 'PATCH' | 'DELETE' | 'POST'
  /** Path segments below the peer's receiver endpoint, e.g. ['NL', 'ECO', 'LOC1', '3256', '1']. */
  path: string[]
  /** URL query parameters, e.g. { type: 'APP_USER' } for a token (mod_tokens: `{token_uid}[?type={type}]`). */
  query?: Record<string, string>
  /**
   * The body per OCPI version, already converted from canonical; a peer on a version missing here is skipped.
   * A DELETE carries no body: map each version it can be sent in to null.
   */
  bodies: Partial<Record<OcpiVersion, unknown>>
  /** The owning hosted party (OCPI-from). */
  from: PartyRef
  /**
   * false: sent without OCPI-from/OCPI-to headers. transport_and_format, "Message Routing": Configuration Modules
   * (Credentials, Versions, Hub Client Info) "are not to be routed ... Thus routing headers SHALL NOT be used".
   */
  routingHeaders?: false
  /**
   * Orders and coalesces: pushes with the same key are delivered in enqueue order, and a PATCH may be merged into an
   * undelivered earlier PATCH/PUT with the same key. E.g. 'locations/NL/ECO/LOC1'.
   */
  objectKey: string
  /**
   * The object's committed version (e.g. its row revision, bumped in the same statement as the write): the outbox
   * never lets an older version replace or follow a newer one of the same objectKey (docs/push.md, "Versions").
   * Absent: the push is not bound to a version, and the outbox forgets what it knew of the object.
   */
  version?: number
  /**
   * The whole object at `version`, as a PUT at `path`: what the outbox sends instead of a PATCH it cannot prove to
   * follow the version before it (the first it sees of the object, or one after a gap).
   */
  snapshot?: { path: string[]; bodies: Partial<Record<OcpiVersion, unknown>> }
}

/** Which peers receive a change, and the party each is addressed to (OCPI-to). Empty: not a recipient. */
export type PushAudience = (peer: Peer) => PartyRef | undefined | Promise<PartyRef | undefined>

export interface OutboxStats {
  depth: number
  last_error: string | null
  last_error_at: string | null
  last_delivery_at: string | null
  /** Pushes the peer refused with an OCPI 2xxx error: recorded, not retried. */
  rejected: number
  /** Pushes the peer accepted (OCPI 1xxx), counted since the outbox was created. */
  delivered?: number
  /** Pushes never sent: the peer has no receiver endpoint for the module, or no body exists for its version. */
  dropped?: number
  /** Undelivered updates folded into a queued one (PATCH merged, or PUT superseding). */
  coalesced?: number
  /** Pushes not queued because a newer version of the same object was already queued. */
  stale?: number
  /** When the next delivery attempt is scheduled, while the queue is not empty. */
  next_attempt_at?: string | null
  /** Enqueue time of the oldest undelivered push: how far behind the peer is. */
  oldest_enqueued_at?: string | null
}

/** One undelivered push, as the management API lists it. */
export interface QueuedPush {
  seq: number
  module: string
  method: PushChange['method']
  path: string[]
  object_key: string
  to: PartyRef | null
  enqueued_at: string
  attempts: number
  in_flight: boolean
  last_error: string | null
}
