import { toEpochMs } from '../../ocpi/types'
import type { ChargingPeriod } from '../../ocpi/objects/cdr'
import type { Session, SessionPatch } from '../../ocpi/objects/session'

// The merge rule for sessions (docs/sessions-cdrs.md, "Merge rules"). Scalar fields are state: the write with the
// newest last_updated wins (ties: the later arrival), as for every OCPI object. Charging periods are data: mod_sessions
// "PATCH Method" adds them to the list, so every period a CPO sent is kept, whatever order its writes arrive in.

/**
 * The session after `write` (a PATCH, or the charging_periods and last_updated of a PUT older than the stored one),
 * or undefined when it changes nothing: older than the stored session and without a period it lacks.
 * - Scalar fields (everything but charging_periods), last_updated included: applied only if the write is at least as
 *   new as the stored session.
 * - charging_periods: merged by start_date_time, compared as instants (peers send DateTime with and without
 *   fractions). A start not held yet is added; a start held already is replaced only by a write at least as new
 *   ("a period ends when the next period starts", so two cannot share a start, and a retried write is idempotent).
 *   The list is kept in start order.
 */
export function mergeSessionWrite(stored: Session, write: SessionPatch): Session | undefined {
  const { charging_periods: incoming, ...fields } = write
  const newer = toEpochMs(write.last_updated) >= toEpochMs(stored.last_updated)
  const { periods, added } = mergePeriods(stored.charging_periods, incoming, newer)
  if (!newer && added === 0) return undefined
  const merged: Session = newer ? { ...stored, ...fields } : { ...stored }
  if (periods) merged.charging_periods = periods
  return merged
}

function mergePeriods(stored: ChargingPeriod[] | undefined, incoming: ChargingPeriod[] | undefined, incomingWins: boolean) {
  if (!incoming?.length) return { periods: stored, added: 0 }
  const byStart = new Map((stored ?? []).map((period) => [toEpochMs(period.start_date_time), period]))
  let added = 0
  for (const period of incoming) {
    const start = toEpochMs(period.start_date_time)
    if (!byStart.has(start)) added++
    else if (!incomingWins) continue
    byStart.set(start, period)
  }
  return { periods: [...byStart.entries()].sort(([left], [right]) => left - right).map(([, period]) => period), added }
}
