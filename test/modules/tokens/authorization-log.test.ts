import { describe, expect, it } from 'vitest'
import { flushAuthorizationLog, recordAuthorizationSoon } from '../../../src/modules/tokens/authorization-log'
import { listAuthorizations, type NewAuthorizationEntry } from '../../../src/modules/tokens/authorization-store'
import { db } from '../../ocpi/fixtures'
import { uniquePartyId } from './fixtures'

// Decisions are written off the response path, together (src/modules/tokens/authorization-log.ts): none is lost, the
// log keeps the decisions' order, and a read on the same isolate sees every decision made before it.

const decision = (party: { country_code: string; party_id: string }, uid: string): NewAuthorizationEntry => ({
  side: 'EMSP', party, token: { ...party, uid, type: 'RFID' }, location_id: null, evse_uids: null,
  allowed: true, reason: 'ALLOWED', source: 'realtime', authorization_reference: null, peer_id: null,
})
const logOf = async (party: { country_code: string; party_id: string }) =>
  (await listAuthorizations(db(), { party }, { offset: 0, limit: 1000 })).objects

describe('authorization log: written after the answer, together', () => {
  it('120 decisions made at once are one write, kept alive by the request that opened it, in the order they were taken', async () => {
    const party = { country_code: 'DE', party_id: uniquePartyId() }
    const keptAlive: Promise<unknown>[] = []
    const start = Date.now()
    for (let index = 0; index < 120; index++) recordAuthorizationSoon(db(), decision(party, `UID${String(index).padStart(3, '0')}`), (work) => keptAlive.push(work), start + index)
    expect(keptAlive).toHaveLength(1)
    expect(await logOf(party)).toEqual([]) // not written on the response path
    await keptAlive[0]
    const logged = await logOf(party)
    expect(logged.map((entry) => entry.token.uid)).toEqual(Array.from({ length: 120 }, (_, index) => `UID${String(index).padStart(3, '0')}`))
    expect(logged[0]!.at).toBe(new Date(start).toISOString())
  })

  it('a read on this isolate writes what is queued first, without waiting for the timer', async () => {
    const party = { country_code: 'DE', party_id: uniquePartyId() }
    const keptAlive: Promise<unknown>[] = []
    recordAuthorizationSoon(db(), decision(party, 'READ1'), (work) => keptAlive.push(work))
    await flushAuthorizationLog()
    expect(await logOf(party)).toMatchObject([{ token: { uid: 'READ1' } }])
    await keptAlive[0] // the timer's own write then finds nothing left
    expect(await logOf(party)).toHaveLength(1)
  })

  it('a decision after a write opens a new one', async () => {
    const party = { country_code: 'DE', party_id: uniquePartyId() }
    const keptAlive: Promise<unknown>[] = []
    recordAuthorizationSoon(db(), decision(party, 'NEXT1'), (work) => keptAlive.push(work))
    await keptAlive[0]
    recordAuthorizationSoon(db(), decision(party, 'NEXT2'), (work) => keptAlive.push(work))
    expect(keptAlive).toHaveLength(2)
    await keptAlive[1]
    expect((await logOf(party)).map((entry) => entry.token.uid)).toEqual(['NEXT1', 'NEXT2'])
  })
})
