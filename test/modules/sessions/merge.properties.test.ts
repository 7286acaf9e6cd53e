import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mergeSessionWrite } from '../../../src/modules/sessions/merge'
import type { Session, SessionPatch } from '../../../src/ocpi/objects/session'

// The session merge rule (docs/sessions-cdrs.md, "Merge rules") as properties over any set of writes in any order:
// charging periods are data (every start sent is kept once, in start order), scalar fields are state (newest wins).

const base = Date.parse('2026-02-01T10:00:00Z')
const at = (offsetSeconds: number) => new Date(base + offsetSeconds * 1000).toISOString()

const stored: Session = {
  country_code: 'NL', party_id: 'CPO', id: 'S1', start_date_time: at(0), kwh: 0, auth_method: 'WHITELIST', location_id: 'LOC1',
  evse_uid: 'E1', connector_id: '1', currency: 'EUR', status: 'ACTIVE', last_updated: at(0),
  cdr_token: { country_code: 'DE', party_id: 'MSP', uid: 'UID1', type: 'RFID', contract_id: 'DE-MSP-C1' },
}

/** Writes with distinct last_updated values (a tie is decided by arrival, which is not what these properties are about). */
const writes = fc
  .uniqueArray(fc.record({ updatedAt: fc.integer({ min: 1, max: 86_400 }), periodStart: fc.integer({ min: 0, max: 86_400 }), kwh: fc.integer({ min: 0, max: 1_000 }) }), {
    minLength: 1, maxLength: 12, selector: (write) => write.updatedAt,
  })
  .map((list) => list.map(({ updatedAt, periodStart, kwh }): SessionPatch => ({
    kwh, last_updated: at(updatedAt), charging_periods: [{ start_date_time: at(periodStart), dimensions: [{ type: 'ENERGY', volume: kwh }] }],
  })))

const applyAll = (order: readonly SessionPatch[]) =>
  order.reduce((state, write) => mergeSessionWrite(state.session, state.periodVersions, write) ?? state, { session: stored, periodVersions: {} }).session

describe('mergeSessionWrite over any arrival order', () => {
  it('ends with the same session whatever order the writes arrive in', () => {
    fc.assert(fc.property(writes.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length }))), ([inOrder, shuffled]) => {
      expect(applyAll(shuffled)).toEqual(applyAll(inOrder))
    }))
  })

  it('keeps every distinct period start once, in start order, and the scalars of the newest write', () => {
    fc.assert(fc.property(writes, (list) => {
      const merged = applyAll(list)
      const starts = merged.charging_periods?.map((period) => Date.parse(period.start_date_time)) ?? []
      const sent = new Set(list.flatMap((write) => write.charging_periods ?? []).map((period) => Date.parse(period.start_date_time)))
      expect(starts).toEqual([...sent].sort((left, right) => left - right))
      const newest = list.reduce((left, right) => (Date.parse(right.last_updated) > Date.parse(left.last_updated) ? right : left))
      expect(merged.last_updated).toBe(newest.last_updated)
      expect(merged.kwh).toBe(newest.kwh)
    }))
  })
})
