import { describe, expect, it } from 'vitest'
import { getDispute, putDispute } from '../../../src/modules/x-cdr-disputes/store'
import type { CdrDispute } from '../../../src/ocpi/objects/cdr-dispute'
import { db } from '../../ocpi/fixtures'
import { uniqueParty } from '../locations/fixtures'

// One row per CDR (docs/architecture.md, "Whose copy an object is"): a dispute raised here is never replaced by a peer's,
// a newer write replaces an older one, and the peer now holding the MSP party takes over a former holder's copy.

const cpo = uniqueParty('NL')
const dispute = (cdr_id: string, last_updated: string, text = 'wrong price'): CdrDispute => ({
  ...cpo, cdr_id, msp_country_code: 'DE', msp_party_id: 'MSP', reason: 'WRONG_PRICE', text, state: 'OPEN', last_updated,
})
const ref = (id: string) => ({ ...cpo, id })

describe('CDR dispute store', () => {
  it('never lets a peer replace a dispute raised here', async () => {
    expect(await putDispute(db(), 'own', dispute('C1', '2030-01-01T00:00:00Z'))).toBe(true)
    expect(await putDispute(db(), { peer_id: 'peer-1' }, dispute('C1', '2030-02-01T00:00:00Z', 'later'))).toBe(false)
    expect(await getDispute(db(), 'own', ref('C1'))).toMatchObject({ text: 'wrong price' })
    expect(await getDispute(db(), { peer_id: 'peer-1' }, ref('C1'))).toBeUndefined()
  })

  it('keeps the newest write of one holder, and lets the new holder of the party take over', async () => {
    expect(await putDispute(db(), { peer_id: 'peer-1' }, dispute('C2', '2030-02-01T00:00:00Z', 'newer'))).toBe(true)
    expect(await putDispute(db(), { peer_id: 'peer-1' }, dispute('C2', '2030-01-01T00:00:00Z', 'older'))).toBe(false)
    expect(await getDispute(db(), { peer_id: 'peer-1' }, ref('C2'))).toMatchObject({ text: 'newer' })
    expect(await putDispute(db(), { peer_id: 'peer-2' }, dispute('C2', '2030-01-15T00:00:00Z', 'moved'))).toBe(true)
    expect(await getDispute(db(), { peer_id: 'peer-2' }, ref('C2'))).toMatchObject({ text: 'moved' })
    expect(await getDispute(db(), { peer_id: 'peer-1' }, ref('C2'))).toBeUndefined()
  })
})
