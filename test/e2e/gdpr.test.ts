import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activeSession, cdrOf, driverToken, eventually, partyId, tokenUids } from './driver-records'
import { FakePeer } from './fake-peer'
import { a, b, grantsOf, unique } from './harness'

// x-gdpr between two real platforms: a hosts a CPO holding the token, sessions and CDRs of a driver of b's eMSP. b asks
// a for everything about the driver (right of access), then to forget it (right to be forgotten); a's own management
// reads prove what is gone and what is pseudonymized.

describe.each(['2.2.1', '2.3.0'] as const)('x-gdpr over %s: eMSP platform b asks CPO platform a about its driver', (version) => {
  const cpo = { country_code: 'NL', party_id: partyId() }
  const emsp = { country_code: 'DE', party_id: partyId() }
  const token = driverToken(emsp)
  const sessionId = unique('S')
  const cdr = cdrOf(cpo, token, sessionId)
  const subject = { country_code: emsp.country_code, party_id: emsp.party_id, uid: token.uid }
  let aOnB: string
  let pseudonym: string

  beforeAll(async () => {
    await a.admin('POST', '/parties', { ...cpo, role: 'CPO', business_details: { name: 'GDPR CPO' } })
    await b.admin('POST', '/parties', { ...emsp, role: 'EMSP', business_details: { name: 'GDPR eMSP' } })
    const invite = await a.admin('POST', '/peers/invite', { name: `b (gdpr over ${version})`, extensions: ['x-gdpr'], grants: await grantsOf(b) })
    aOnB = (await b.admin('POST', '/peers/connect', { versions_url: invite.versions_url, token_a: invite.token_a, version, extensions: ['x-gdpr'], grants: await grantsOf(a) })).peer_id

    await b.admin('PUT', `/tokens/${emsp.country_code}/${emsp.party_id}/${token.uid}`, token)
    await eventually(() => tokenUids(a, emsp, 'received'), (uids) => uids.includes(token.uid))
    await a.admin('PUT', `/sessions/${cpo.country_code}/${cpo.party_id}/${sessionId}`, activeSession(token))
    expect((await a.adminRaw('POST', `/cdrs/${cpo.country_code}/${cpo.party_id}`, cdr)).status).toBe(201)
    // The driver presented the card at a's charge point: the decision is in a's authorization log.
    expect(await a.admin('POST', '/authorize', { token_uid: token.uid, party: `${cpo.country_code}*${cpo.party_id}`, location_id: 'LOC-GDPR' })).toMatchObject({ allowed: true })
  })

  it('right of access: b gets a JSON export of the token, sessions and CDRs a holds', async () => {
    const request = await b.admin('POST', `/gdpr/${aOnB}/access`, subject)
    expect(request).toMatchObject({ kind: 'ACCESS', status: 'COMPLETED', status_code: 1000, subject })
    const { records } = request.result
    expect(records.tokens).toEqual([expect.objectContaining({ uid: token.uid, contract_id: token.contract_id })])
    expect(records.sessions).toEqual([expect.objectContaining({ id: sessionId, cdr_token: expect.objectContaining({ uid: token.uid }) })])
    expect(records.cdrs).toEqual([expect.objectContaining({ id: cdr.id, cdr_token: expect.objectContaining({ uid: token.uid }) })])
    expect(records.authorizations).toEqual([expect.objectContaining({ side: 'CPO', token: expect.objectContaining({ uid: token.uid }), location_id: 'LOC-GDPR' })])
    expect(request.result.url).toContain(`/ocpi/${version}/receiver/x-gdpr/exports/`)
    expect(await b.admin('GET', `/gdpr/requests/${request.id}`)).toMatchObject({ id: request.id, status: 'COMPLETED' })
  })

  it('right to be forgotten: the cache entry is gone, the session and the CDR keep only a pseudonym', async () => {
    const request = await b.admin('POST', `/gdpr/${aOnB}/forget`, subject)
    expect(request).toMatchObject({ kind: 'FORGET', status: 'COMPLETED', result: { erased: { tokens: 1, sessions: 1, cdrs: 1, exports: 1 } } })
    pseudonym = request.result.pseudonym
    expect(pseudonym).toMatch(/^GDPR-/)

    expect(await tokenUids(a, emsp, 'received')).not.toContain(token.uid)
    const session = await a.admin('GET', `/sessions/${cpo.country_code}/${cpo.party_id}/${sessionId}`)
    expect(session.cdr_token).toMatchObject({ uid: pseudonym, contract_id: pseudonym })
    const keptCdr = await a.admin('GET', `/cdrs/${cpo.country_code}/${cpo.party_id}/${cdr.id}`)
    expect(keptCdr).toMatchObject({ id: cdr.id, total_cost: cdr.total_cost, cdr_token: { uid: pseudonym, contract_id: pseudonym } })
    for (const record of [session, keptCdr]) expect(JSON.stringify(record)).not.toContain(token.uid)
    expect(request.result.erased.authorizations).toBe(1)
    expect(await a.admin('GET', `/authorizations?token_uid=${token.uid}`)).toEqual([])
    expect(await a.admin('GET', `/authorizations?token_uid=${pseudonym}`)).toEqual([expect.objectContaining({ location_id: 'LOC-GDPR', token: expect.objectContaining({ uid: pseudonym }) })])
  })

  it('a second access request returns nothing personal', async () => {
    const request = await b.admin('POST', `/gdpr/${aOnB}/access`, subject)
    expect(request.status).toBe('COMPLETED')
    for (const records of Object.values(request.result.records)) expect(records).toEqual([])
  })

  describe('asking about another party\'s token', () => {
    const stranger = new FakePeer({ modules: ['tokens'], role: { role: 'EMSP', country_code: 'DE', party_id: partyId() } })
    let strangerToken: string
    beforeAll(async () => {
      await stranger.start()
      const invite = await a.admin('POST', '/peers/invite', { name: 'stranger (gdpr)', extensions: ['x-gdpr'] })
      const registration = await a.ocpi('POST', `/ocpi/${version}/credentials`, { token: invite.token_a, body: stranger.credentials(stranger.issueToken()) })
      expect(registration.body, JSON.stringify(registration.body)).toMatchObject({ status_code: 1000 })
      strangerToken = registration.body.data.token
    })
    afterAll(() => stranger.stop())

    it('gets 2001 and no data from a', async () => {
      const other = driverToken(emsp)
      await b.admin('PUT', `/tokens/${emsp.country_code}/${emsp.party_id}/${other.uid}`, other)
      await eventually(() => tokenUids(a, emsp, 'received'), (uids) => uids.includes(other.uid))
      for (const action of ['access', 'forget']) {
        const response = await a.ocpi('POST', `/ocpi/${version}/receiver/x-gdpr/${emsp.country_code}/${emsp.party_id}/${other.uid}/${action}`, { token: strangerToken })
        expect(response.body.status_code).toBe(2001)
        expect(JSON.stringify(response.body)).not.toContain(other.contract_id)
      }
      expect(await tokenUids(a, emsp, 'received')).toContain(other.uid)
    })

    it('is refused by b\'s management API for a party b does not host', async () => {
      const response = await b.adminRaw('POST', `/gdpr/${aOnB}/access`, { country_code: 'DE', party_id: 'ZZZ', uid: 'X1' })
      expect(response.status).toBe(400)
    })
  })
})
