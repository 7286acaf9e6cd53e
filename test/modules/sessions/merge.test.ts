import { beforeAll, describe, expect, it } from 'vitest'
import { mergeSessionWrite } from '../../../src/modules/sessions/merge'
import type { Session } from '../../../src/ocpi/objects/session'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { hostParty, roleOf, uniquePartyId } from '../tokens/fixtures'
import { present } from '../../present'

// Charging periods are data, not state (docs/sessions-cdrs.md "Merge rules"): every period a CPO sent is kept, merged by
// its start_date_time whatever the arrival order, never twice; scalar fields follow the newest last_updated.

type Party = { country_code: string; party_id: string }

const PARALLEL = 50
const start = Date.parse('2026-02-01T10:00:00Z')
const minute = (index: number) => new Date(start + index * 60_000).toISOString()
const period = (index: number) => ({ start_date_time: minute(index), dimensions: [{ type: 'ENERGY', volume: index + 1 }] })

const sessionOf = (cpo: Party, emsp: Party, id: string, last_updated = '2026-02-01T09:59:00Z') => ({
  ...cpo, id, start_date_time: '2026-02-01T10:00:00Z', kwh: 0, auth_method: 'WHITELIST', location_id: 'LOC1', evse_uid: 'E1', connector_id: '1',
  cdr_token: { ...emsp, uid: `UID-${id}`, type: 'RFID', contract_id: `${emsp.country_code}-${emsp.party_id}-C1` }, currency: 'EUR', status: 'ACTIVE', last_updated,
})

/** Arrival order far from the order of last_updated: every other writer is older than the one before it. */
const shuffled = Array.from({ length: PARALLEL }, (_, index) => (index % 2 ? PARALLEL - index : index))

describe('session charging periods under concurrent writes', () => {
  let emsp: Party
  const cpo = { country_code: 'NL', party_id: uniquePartyId() }
  let cpoPeer: { id: string; token: string }
  const url = (id: string) => `/ocpi/2.3.0/receiver/sessions/${cpo.country_code}/${cpo.party_id}/${id}`

  beforeAll(async () => {
    emsp = await hostParty('EMSP')
    cpoPeer = await registeredPeer({ roles: [roleOf('CPO', cpo)] })
  })

  it(`keeps every period of ${PARALLEL} parallel PATCHes received from a CPO, each adding one, in start order`, async () => {
    await ocpiFetch(url('P50'), { token: cpoPeer.token, method: 'PUT', body: sessionOf(cpo, emsp, 'P50') })
    const answers = await Promise.all(shuffled.map(async (index) => {
      const body = { kwh: index + 1, charging_periods: [period(index)], last_updated: minute(index + 1) }
      return (await (await ocpiFetch(url('P50'), { token: cpoPeer.token, method: 'PATCH', body })).json<OcpiBody>()).status_code
    }))
    expect(answers.every((code) => code === 1000)).toBe(true)
    const stored = (await (await ocpiFetch(url('P50'), { token: cpoPeer.token })).json<OcpiBody<Session>>()).data!
    expect(stored.charging_periods?.map((kept) => kept.start_date_time)).toEqual(Array.from({ length: PARALLEL }, (_, index) => minute(index)))
    // Scalar state: the newest PATCH's, whatever order they arrived in.
    expect(stored).toMatchObject({ kwh: PARALLEL, last_updated: minute(PARALLEL) })
  }, 60_000)

  it('merges the periods of an older PATCH or PUT without letting its scalars win, and never duplicates a period', async () => {
    await ocpiFetch(url('OLD'), { token: cpoPeer.token, method: 'PUT', body: sessionOf(cpo, emsp, 'OLD') })
    await ocpiFetch(url('OLD'), { token: cpoPeer.token, method: 'PATCH', body: { kwh: 5, charging_periods: [period(2)], last_updated: minute(10) } })
    const older = await ocpiFetch(url('OLD'), { token: cpoPeer.token, method: 'PATCH', body: { kwh: 1, charging_periods: [period(0)], last_updated: minute(1) } })
    expect((await older.json<OcpiBody>()).status_code).toBe(1000)
    // Same start written twice (second spelling with fractions): one period.
    const again = await ocpiFetch(url('OLD'), { token: cpoPeer.token, method: 'PATCH', body: { charging_periods: [{ ...period(0), start_date_time: minute(0).replace('.000Z', 'Z') }], last_updated: minute(11) } })
    expect((await again.json<OcpiBody>()).status_code).toBe(1000)
    await ocpiFetch(url('OLD'), { token: cpoPeer.token, method: 'PUT', body: { ...sessionOf(cpo, emsp, 'OLD', minute(3)), kwh: 0.5, charging_periods: [period(1)] } })
    const stored = (await (await ocpiFetch(url('OLD'), { token: cpoPeer.token })).json<OcpiBody<Session>>()).data!
    expect(stored.charging_periods?.map((kept) => Date.parse(kept.start_date_time))).toEqual([0, 1, 2].map((index) => Date.parse(minute(index))))
    expect(stored).toMatchObject({ kwh: 5, last_updated: minute(11) })
  })

  it(`keeps every period of ${PARALLEL} parallel owner PATCHes on the management API`, async () => {
    const owner = await hostParty('CPO')
    const path = `/sessions/${owner.country_code}/${owner.party_id}/OWN50`
    expect((await adminFetch(path, { method: 'PUT', body: sessionOf(owner, emsp, 'OWN50') })).status).toBe(201)
    const statuses = await Promise.all(shuffled.map(async (index) =>
      (await adminFetch(path, { method: 'PATCH', body: { kwh: index + 1, charging_periods: [period(index)], last_updated: minute(index + 1) } })).status))
    expect(statuses.every((status) => status === 200)).toBe(true)
    const stored = await (await adminFetch(path)).json<Session>()
    expect(stored.charging_periods).toHaveLength(PARALLEL)
    expect(stored).toMatchObject({ kwh: PARALLEL, last_updated: minute(PARALLEL) })
  }, 60_000)
})

describe('mergeSessionWrite', () => {
  const base = sessionOf({ country_code: 'NL', party_id: 'CPO' }, { country_code: 'DE', party_id: 'MSP' }, 'S1', minute(5)) as Session

  it('applies scalars of a write at least as new, and adds its periods in start order', () => {
    const merged = mergeSessionWrite({ ...base, charging_periods: [period(3)] as Session['charging_periods'] }, {}, { kwh: 7, charging_periods: [period(1)] as Session['charging_periods'], last_updated: minute(6) })?.session
    expect(merged).toMatchObject({ kwh: 7, last_updated: minute(6) })
    expect(merged?.charging_periods?.map((kept) => kept.start_date_time)).toEqual([minute(1), minute(3)])
  })

  it('keeps the stored scalars and periods against an older write, adding only new periods', () => {
    const stored = { ...base, charging_periods: [{ ...period(1), tariff_id: 'NEW' }] as Session['charging_periods'] }
    const merged = mergeSessionWrite(stored, {}, { kwh: 1, charging_periods: [period(1), period(0)] as Session['charging_periods'], last_updated: minute(4) })?.session
    expect(merged).toMatchObject({ kwh: 0, last_updated: minute(5) })
    expect(merged?.charging_periods).toEqual([period(0), { ...period(1), tariff_id: 'NEW' }])
  })

  it('changes nothing for an older write without new periods', () => {
    expect(mergeSessionWrite(base, {}, { kwh: 1, last_updated: minute(4) })).toBeUndefined()
  })

  it('ends with the same periods whatever order the writes come in', () => {
    const writes = [0, 1, 2, 3, 4].map((index) => ({ kwh: index, charging_periods: [period(index)] as Session['charging_periods'], last_updated: minute(6 + index) }))
    const orders = [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 0, 4, 1, 3], [3, 4, 0, 2, 1]]
    const results = orders.map((order) => order.reduce((state, index) => mergeSessionWrite(state.session, state.periodVersions, present(writes[index], `write ${index}`)) ?? state, { session: base, periodVersions: {} }).session)
    for (const result of results) expect(result).toEqual(results[0])
    expect(results[0]).toMatchObject({ kwh: 4, last_updated: minute(10) })
  })
})
