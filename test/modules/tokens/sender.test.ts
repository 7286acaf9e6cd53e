import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { database } from '../../../src/db/client'
import { locations } from '../../../src/db/schema'
import { ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { fromHeaders, hostParty, rfidToken, roleOf, toHeaders, writeOwnToken } from './fixtures'
import { present } from '../../present'

describe.each(['2.3.0', '2.2.1'] as const)('tokens sender (eMSP) over %s', (version) => {
  let emsp: { country_code: string; party_id: string }
  let cpo: { id: string; token: string }
  const cpoParty = { country_code: 'NL', party_id: 'CPX' }
  const base = `/ocpi/${version}/sender/tokens`

  beforeAll(async () => {
    emsp = await hostParty('EMSP', 'DE')
    cpo = await registeredPeer({ roles: [roleOf('CPO', cpoParty)], version })
    for (let index = 1; index <= 5; index++) {
      await writeOwnToken(rfidToken(emsp, `CARD${index}`, { last_updated: `2026-01-0${index}T10:00:00Z` }))
    }
    await writeOwnToken({ ...rfidToken(emsp, 'DE-8AC-C12E46L89'), type: 'EMAID', whitelist: 'NEVER', last_updated: '2026-01-03T12:00:00Z' })
    await writeOwnToken(rfidToken(emsp, 'BLOCKED1', { valid: false }))
    await writeOwnToken(rfidToken(emsp, 'BROKE1'), { account_status: 'NO_CREDIT' })
    await writeOwnToken(rfidToken(emsp, 'DACH1', { whitelist: 'ALWAYS' }), { allowed_countries: ['DE', 'AT'] })
  })

  const get = (query: string) => ocpiFetch(`${base}${query}`, { token: cpo.token, headers: toHeaders(emsp) })
  const authorize = (uid: string, body?: unknown, query = '', headers: Record<string, string> = {}) =>
    ocpiFetch(`${base}/${uid}/authorize${query}`, { method: 'POST', token: cpo.token, body, headers: { ...toHeaders(emsp), ...headers } })

  it('pages by date with X-Total-Count, X-Limit and a Link that reaches every token once', async () => {
    const first = await get('?date_from=2026-01-01T00:00:00Z&date_to=2026-01-05T00:00:00Z&limit=2')
    const body = await first.json<OcpiBody<any[]>>()
    const expected = version === '2.3.0' ? 5 : 4 // CARD1..CARD4 (+ the EMAID, which 2.2.1 cannot express)
    expect(first.headers.get('X-Total-Count')).toBe(String(expected))
    expect(first.headers.get('X-Limit')).toBe('2')
    expect(body.data!.map((token) => token.uid)).toEqual(['CARD1', 'CARD2'])
    const seen = body.data!.map((token) => token.uid)
    let link = first.headers.get('Link')
    while (link) {
      const next = present(/<([^>]+)>/.exec(link)?.[1], 'the next link')
      const page = await ocpiFetch(new URL(next).pathname + new URL(next).search, { token: cpo.token, headers: toHeaders(emsp) })
      seen.push(...(await page.json<OcpiBody<any[]>>()).data!.map((token) => token.uid))
      link = page.headers.get('Link')
    }
    expect(seen).toEqual(version === '2.3.0' ? ['CARD1', 'CARD2', 'CARD3', 'DE-8AC-C12E46L89', 'CARD4'] : ['CARD1', 'CARD2', 'CARD3', 'CARD4'])
  })

  it('lists only the addressed party, with allowed_countries on 2.3.0 only', async () => {
    const body = await (await get('?limit=100')).json<OcpiBody<any[]>>()
    expect(body.data!.every((token) => token.party_id === emsp.party_id)).toBe(true)
    const dach = body.data!.find((token) => token.uid === 'DACH1')
    if (version === '2.3.0') expect(dach.allowed_countries).toEqual(['DE', 'AT'])
    else expect(dach).not.toHaveProperty('allowed_countries')
    expect(body.data!.some((token) => 'account_status' in token)).toBe(false)
  })

  it('accepts the trailing slash of the spec\'s examples (tokens/?date_from=...)', async () => {
    const response = await ocpiFetch(`${base}/?date_from=2026-01-02T00:00:00Z&limit=1`, { token: cpo.token, headers: toHeaders(emsp) })
    expect((await response.json<OcpiBody<any[]>>()).data!.map((token) => token.uid)).toEqual(['CARD2'])
  })

  it('refuses to list tokens to a peer that is not a CPO', async () => {
    const other = await registeredPeer({ roles: [roleOf('EMSP', { country_code: 'FR', party_id: 'OTH' })], version })
    const body = await (await ocpiFetch(base, { token: other.token, headers: toHeaders(emsp) })).json<OcpiBody>()
    expect(body.status_code).toBe(2000)
    expect(body.data).toBeUndefined()
  })

  it('authorizes a valid token with a fresh authorization_reference and echoes the location', async () => {
    const location = { location_id: 'LOC1', evse_uids: ['EVSE1'] }
    const first = await (await authorize('card1', location)).json<OcpiBody>()
    const second = await (await authorize('CARD1', undefined, '?type=RFID')).json<OcpiBody>()
    expect(first.status_code).toBe(1000)
    expect(first.data).toMatchObject({ allowed: 'ALLOWED', location, token: { uid: 'CARD1', party_id: emsp.party_id } })
    expect(first.data.authorization_reference).toMatch(/^[0-9a-f-]{36}$/)
    expect(second.data.authorization_reference).not.toBe(first.data.authorization_reference)
    expect(second.data).not.toHaveProperty('location')
  })

  it('answers 2004 with HTTP 404 and no data for an unknown token, or a known uid of another type', async () => {
    for (const response of [await authorize('NOPE'), await authorize('CARD1', undefined, '?type=APP_USER')]) {
      expect(response.status).toBe(404)
      const body = await response.json<OcpiBody>()
      expect(body.status_code).toBe(2004)
      expect(body).not.toHaveProperty('data')
    }
  })

  it('answers 2001 with the field path for malformed LocationReferences', async () => {
    const missing = await (await authorize('CARD1', { evse_uids: ['E1'] })).json<OcpiBody>()
    expect(missing).toMatchObject({ status_code: 2001, data: { path: 'location_id' } })
    const wrongType = await (await authorize('CARD1', { location_id: 'L1', evse_uids: 'E1' })).json<OcpiBody>()
    expect(wrongType).toMatchObject({ status_code: 2001, data: { path: 'evse_uids' } })
    const notJson = await authorize('CARD1', '{"location_id":')
    expect(notJson.status).toBe(400)
    expect((await notJson.json<OcpiBody>()).status_code).toBe(2001)
    const badType = await (await authorize('CARD1', undefined, '?type=NOT A TYPE')).json<OcpiBody>()
    expect(badType).toMatchObject({ status_code: 2001, data: { path: 'type' } })
  })

  it('answers BLOCKED for an invalid token and NO_CREDIT for an account without credit, without a reference', async () => {
    const blocked = await (await authorize('BLOCKED1')).json<OcpiBody>()
    expect(blocked.data).toMatchObject({ allowed: 'BLOCKED', token: { valid: false } })
    expect(blocked.data).not.toHaveProperty('authorization_reference')
    expect((await (await authorize('BROKE1')).json<OcpiBody>()).data.allowed).toBe('NO_CREDIT')
  })

  it('limits a token to its countries: 2002 without a location, NOT_ALLOWED at a location elsewhere', async () => {
    expect((await (await authorize('DACH1')).json<OcpiBody>()).status_code).toBe(2002)
    const db = database(env.DB)
    for (const [id, country] of [['LOC-NL', 'NLD'], ['LOC-AT', 'AUT']] as const) {
      const object = { country_code: cpoParty.country_code, party_id: cpoParty.party_id, id, country, publish: true, last_updated: '2026-01-01T00:00:00Z' }
      await db.insert(locations).values({
        source: cpo.id, key: `${cpoParty.country_code}*${cpoParty.party_id}*${id}`, country_code: cpoParty.country_code, party_id: cpoParty.party_id, id,
        publish: true, last_updated: 0, revision: 1, object: object as any, json_230: JSON.stringify(object), json_221: JSON.stringify(object),
      })
    }
    const from = fromHeaders(cpoParty)
    expect((await (await authorize('DACH1', { location_id: 'LOC-NL' }, '', from)).json<OcpiBody>()).data.allowed).toBe('NOT_ALLOWED')
    expect((await (await authorize('DACH1', { location_id: 'LOC-AT' }, '', from)).json<OcpiBody>()).data.allowed).toBe('ALLOWED')
    // A location we never received (a private charger): the requesting CPO's country decides; this one is in NL.
    expect((await (await authorize('DACH1', { location_id: 'PRIVATE-1' }, '', from)).json<OcpiBody>()).data.allowed).toBe('NOT_ALLOWED')
  })

  it('answers only about tokens of the party addressed', async () => {
    const other = await hostParty('EMSP', 'DE')
    const response = await ocpiFetch(`${base}/CARD1/authorize`, { method: 'POST', token: cpo.token, headers: toHeaders(other) })
    expect((await response.json<OcpiBody>()).status_code).toBe(2004)
    const notHosted = await ocpiFetch(`${base}/CARD1/authorize`, { method: 'POST', token: cpo.token, headers: toHeaders({ country_code: 'XX', party_id: 'ZZZ' }) })
    expect((await notHosted.json<OcpiBody>()).status_code).toBe(4001)
  })

  it.runIf(version === '2.3.0')('authorizes an EMAID token (2.3.0)', async () => {
    const body = await (await authorize('DE-8AC-C12E46L89', undefined, '?type=EMAID')).json<OcpiBody>()
    expect(body.data).toMatchObject({ allowed: 'ALLOWED', token: { type: 'EMAID' } })
  })

  it.runIf(version === '2.2.1')('rejects the EMAID type a 2.2.1 peer cannot use', async () => {
    const body = await (await authorize('DE-8AC-C12E46L89', undefined, '?type=EMAID')).json<OcpiBody>()
    expect(body).toMatchObject({ status_code: 2001, data: { path: 'type' } })
  })
})
