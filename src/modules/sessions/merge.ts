import { toEpochMs } from '../../ocpi/types'
import type { ChargingPeriod } from '../../ocpi/objects/cdr'
import type { Session, SessionPatch } from '../../ocpi/objects/session'

// The merge rule for sessions (docs/sessions-cdrs.md, "Merge rules"). Scalar fields are state: the write with the
// newest last_updated wins (ties: the later arrival), as for every OCPI object. Charging periods are data: mod_sessions
// "PATCH Method" adds them to the list, so every period a CPO sent is kept, whatever order its writes arrive in.

/**
 * For each charging period held, keyed by its start (epoch ms), the last_updated (epoch ms) of the write that set it.
 * Kept beside the session so that a period sent twice ends as the newer write sent it, whatever the arrival order.
 */
export type PeriodVersions = Record<string, number>

export interface MergedSession { session: Session; periodVersions: PeriodVersions }

/**
 * The session after `write`, or undefined when it changes nothing (older than the stored session and without a period
 * newer than the one held).
 * - Scalar fields, last_updated included: applied only if the write is at least as new as the stored session. A PUT
 *   (`replace`) then replaces them all (mod_sessions PUT: the whole object), a PATCH only those it carries.
 * - charging_periods, from a PUT or a PATCH alike: merged by start_date_time, compared as instants (peers send DateTime
 *   with and without fractions). A start not held yet is added; a start held already takes the period of the newest
 *   write that sent it ("a period ends when the next period starts", so two cannot share a start), with the JSON text
 *   deciding between two writes of the same instant. The list is kept in start order. The outcome is therefore the
 *   same for any arrival order of the same writes.
 */
export function mergeSessionWrite(stored: Session, versions: PeriodVersions, write: SessionPatch, replace = false): MergedSession | undefined {
  const { charging_periods: incoming, ...fields } = write
  const writtenAt = toEpochMs(write.last_updated)
  const newer = writtenAt >= toEpochMs(stored.last_updated)
  // Rows stored before versions were kept: their periods count as written at the session's last_updated.
  const merged = mergePeriods(stored.charging_periods, incoming, writtenAt, versions, toEpochMs(stored.last_updated))
  if (!newer && merged.changed === 0) return undefined
  const scalars: Session = newer ? (replace ? ({ ...fields } as Session) : { ...stored, ...fields }) : { ...stored }
  delete scalars.charging_periods
  return { session: merged.periods.length > 0 ? { ...scalars, charging_periods: merged.periods } : scalars, periodVersions: merged.versions }
}

/** The versions of a session written whole for the first time: every period is as old as the session. */
export const initialPeriodVersions = (session: Session): PeriodVersions =>
  Object.fromEntries((session.charging_periods ?? []).map((period) => [String(toEpochMs(period.start_date_time)), toEpochMs(session.last_updated)]))

function mergePeriods(stored: ChargingPeriod[] | undefined, incoming: ChargingPeriod[] | undefined, writtenAt: number, versions: PeriodVersions, legacyVersion: number) {
  const byStart = new Map((stored ?? []).map((period) => [String(toEpochMs(period.start_date_time)), period]))
  const merged: PeriodVersions = Object.fromEntries([...byStart.keys()].map((start) => [start, versions[start] ?? legacyVersion]))
  let changed = 0
  for (const period of incoming ?? []) {
    const start = String(toEpochMs(period.start_date_time))
    const held = byStart.get(start)
    const heldAt = merged[start]
    if (held !== undefined && heldAt !== undefined && !takesOver(period, writtenAt, held, heldAt)) continue
    if (held === undefined || JSON.stringify(held) !== JSON.stringify(period)) changed++
    byStart.set(start, period)
    merged[start] = writtenAt
  }
  const periods = [...byStart.entries()].sort(([left], [right]) => Number(left) - Number(right)).map(([, period]) => period)
  return { periods, versions: merged, changed }
}

/** Whether `period`, written at `writtenAt`, replaces the one held for its start: newer wins; same instant, the larger JSON. */
function takesOver(period: ChargingPeriod, writtenAt: number, held: ChargingPeriod, heldAt: number): boolean {
  if (writtenAt !== heldAt) return writtenAt > heldAt
  return JSON.stringify(period) > JSON.stringify(held)
}
