import type { CdrDispute } from '../../ocpi/objects/cdr-dispute'

/** What a dispute has come to: as raised or withdrawn, or SETTLED once a credit CDR for the disputed CDR is held. */
export type DisputeOutcome = { state: 'OPEN' | 'WITHDRAWN' | 'SETTLED'; settled_by: string[] }

// mod_cdrs, "Credit CDRs": a CDR is corrected only by a credit CDR referencing it (then, optionally, a new CDR). So a
// credit CDR for a disputed CDR settles the dispute on both sides, without another message.
export function disputeOutcome(dispute: CdrDispute, creditIds: readonly string[]): DisputeOutcome {
  if (creditIds.length > 0) return { state: 'SETTLED', settled_by: [...creditIds] }
  return { state: dispute.state, settled_by: [] }
}
