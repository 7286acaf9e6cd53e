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
  /** The body per OCPI version, already converted from canonical; a peer on a version missing here is skipped. */
  bodies: Partial<Record<OcpiVersion, unknown>>
  /** The owning hosted party (OCPI-from). */
  from: PartyRef
  /**
   * Orders and coalesces: pushes with the same key are delivered in enqueue order, and a PATCH may be merged into an
   * undelivered earlier PATCH/PUT with the same key. E.g. 'locations/NL/ECO/LOC1'.
   */
  objectKey: string
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
}
