import { beforeAll, describe, expect, it } from 'vitest'
import { encodeAuthorization } from '../../src/ocpi/auth'
import { countedFetch, countingEnv } from '../d1-query-counter'
import { fromHeaders, hostParty, rfidToken, roleOf, toHeaders, uniquePartyId, writeOwnToken } from '../modules/tokens/fixtures'
import { registeredPeer } from '../ocpi/fixtures'

// A peer paging by plain `offset` (building its own URLs, ignoring the Link cursor) is served each page from the
// keyset position the previous page ended at, while the data version shows nothing changed: the same rows as offset
// paging, at the cost of an index seek. A write in between falls back to plain offset, so the answer is always exactly
// what `offset` means.

const counting = countingEnv()
const KEYSET = /"tokens"\."last_updated" > \?/

describe('offset pages at keyset cost', () => {
  let emsp: { country_code: string; party_id: string }
  const cpo = { country_code: 'NL', party_id: uniquePartyId() }
  let peer: { id: string; token: string }

  const page = async (offset: number, extra = '') => {
    const { response, body, cost } = await countedFetch(counting, `/ocpi/2.3.0/sender/tokens?limit=2&offset=${offset}${extra}`, {
      headers: { Authorization: encodeAuthorization(peer.token), ...toHeaders(emsp), ...fromHeaders(cpo) },
    })
    expect(response.status).toBe(200)
    const rows = cost.statements.filter((sql) => sql.includes('from "tokens"') && !/count\(/i.test(sql))
    return { uids: (JSON.parse(body).data as { uid: string }[]).map((token) => token.uid), total: response.headers.get('X-Total-Count'), keyset: rows.some((sql) => KEYSET.test(sql)), counted: cost.statements.some((sql) => /count\(/i.test(sql)) }
  }

  beforeAll(async () => {
    emsp = await hostParty('EMSP')
    for (let index = 1; index <= 7; index++) await writeOwnToken(rfidToken(emsp, `QT${index}`, { last_updated: `2026-02-01T10:00:0${index}Z` }))
    peer = await registeredPeer({ roles: [roleOf('CPO', cpo)] })
  })

  it('walks every object once, each page after the first from the previous page\'s position and without a count', async () => {
    const pages = [await page(0), await page(2), await page(4), await page(6)]
    expect(pages.flatMap((served) => served.uids)).toEqual(['QT1', 'QT2', 'QT3', 'QT4', 'QT5', 'QT6', 'QT7'])
    expect(pages.map((served) => served.keyset)).toEqual([false, true, true, true])
    expect(pages.map((served) => served.counted)).toEqual([true, false, false, false])
    expect(pages.map((served) => served.total)).toEqual(['7', '7', '7', '7'])
  })

  it('serves an offset no page of this filter ended at by plain offset', async () => {
    const jumped = await page(3, '&date_from=2026-01-01T00:00:00Z')
    expect(jumped).toMatchObject({ uids: ['QT4', 'QT5'], keyset: false })
  })

  it('after a write between two pages, answers exactly what offset means on the new state', async () => {
    expect((await page(0)).uids).toEqual(['QT1', 'QT2'])
    await writeOwnToken(rfidToken(emsp, 'QT1', { last_updated: '2026-02-01T11:00:00Z' }))
    // QT1 moved to the end: offset 2 is now QT4, QT5 (offset paging skips QT3, which the Link's cursor would not).
    expect(await page(2)).toMatchObject({ uids: ['QT4', 'QT5'], keyset: false, counted: true })
    expect(await page(4)).toMatchObject({ uids: ['QT6', 'QT7'], keyset: true, counted: false })
  })
})
