import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'
import type { OutboxStats } from '../push/types'

/** One instance per peer: ordered, durable push queue. Filled in by the push work. */
export class PeerOutbox extends DurableObject<Env> {
  stats(): OutboxStats {
    return { depth: 0, last_error: null, last_error_at: null, last_delivery_at: null, rejected: 0 }
  }
}
