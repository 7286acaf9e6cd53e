import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activeSession, cdrOf, driverToken, eventually, partyId, tokenUids } from './driver-records'
import { FakePeer } from './fake-peer'
import { a, b, c, grantsOf, unique, type Platform } from './harness'

// x-token-migration among three real platforms: a hosts a CPO; b is the old eMSP platform hosting the party that moves;
// c is the new one. The party and its tokens move from b to c; a learns of it (credentials roles, a PartyMove, token
// re-push); a session started before the move completes and its CDR reaches c.

const poll = { timeout: 20_000, interval: 250 }

/**
 * `from` registers with `to` (to invites, from connects); returns each side's peer id for the other. Each side grants
 * the other's parties (docs/security.md), and `to` also `moving`: parties about to move to `from`.
 */
async function connect(from: Platform, to: Platform, version: string, moving: { country_code: string; party_id: string; role: string }[] = []) {
  const extensions = ['x-token-migration']
  const invite = await to.admin('POST', '/peers/invite', { name: `${from.name} (migration over ${version})`, extensions, grants: [...(await grantsOf(from)), ...moving] })
  const connected = await from.admin('POST', '/peers/connect', { versions_url: invite.versions_url, token_a: invite.token_a, version, extensions, grants: await grantsOf(to) })
  return { onFrom: connected.peer_id as string, onTo: invite.peer_id as string }
}

describe.each(['2.2.1', '2.3.0'] as const)('x-token-migration over %s: eMSP party moves from platform b to platform c while CPO platform a keeps charging', (version) => {
  const cpo = { country_code: 'NL', party_id: partyId() }
  const moving = { country_code: 'DE', party_id: partyId() }
  const newHome = { country_code: 'DE', party_id: partyId() }
  // b keeps another eMSP: credentials need at least one role, so a platform left without parties could not publish them.
  const staying = { country_code: 'DE', party_id: partyId() }
  const whitelisted = driverToken(moving, unique('MIG'), 'ALWAYS')
  const realtime = driverToken(moving, unique('MIG'), 'ALLOWED')
  const sessionId = unique('S')
  const sessionPath = `/sessions/${cpo.country_code}/${cpo.party_id}/${sessionId}`
  let bOnA: string, aOnB: string, cOnA: string, aOnC: string, cOnB: string, bOnC: string
  let importId: string
  let offerId: string

  beforeAll(async () => {
    await a.admin('POST', '/parties', { ...cpo, role: 'CPO', business_details: { name: 'Migration CPO' } })
    await b.admin('POST', '/parties', { ...moving, role: 'EMSP', business_details: { name: 'Moving eMSP' } })
    await b.admin('POST', '/parties', { ...staying, role: 'EMSP', business_details: { name: 'Staying eMSP' } })
    await c.admin('POST', '/parties', { ...newHome, role: 'EMSP', business_details: { name: 'New platform eMSP' } })
    const ba = await connect(b, a, version)
    bOnA = ba.onTo
    aOnB = ba.onFrom
    // a's operator expects the party to move to c: it grants it to c's connection in advance.
    const ca = await connect(c, a, version, [{ ...moving, role: 'EMSP' }])
    cOnA = ca.onTo
    aOnC = ca.onFrom
    const bc = await connect(c, b, version)
    cOnB = bc.onTo
    bOnC = bc.onFrom

    for (const token of [whitelisted, realtime]) await b.admin('PUT', `/tokens/${moving.country_code}/${moving.party_id}/${token.uid}`, token)
    await eventually(() => tokenUids(a, moving, 'received'), (uids) => uids.includes(whitelisted.uid) && uids.includes(realtime.uid))
    // The driver starts charging before the move: the session goes to b.
    await a.admin('PUT', sessionPath, activeSession(whitelisted))
    await eventually(() => b.adminRaw('GET', `${sessionPath}?source=received`), (response) => response.status === 200)
  })
  // One party, one connection: the next version's run connects the same platforms again, so this run's connections end
  // here (a PartyMove through a leftover connection would name a party that connection was never granted).
  afterAll(async () => {
    await b.admin('DELETE', `/peers/${aOnB}`)
    await c.admin('DELETE', `/peers/${aOnC}`)
    await c.admin('DELETE', `/peers/${bOnC}`)
  })

  it('b offers the party to c, one hand-over at a time', async () => {
    const offer = await b.admin('POST', '/migrations/export-party', { ...moving, peer_id: cOnB })
    offerId = offer.id
    expect(offer).toMatchObject({ direction: 'EXPORT', status: 'OFFERED', tokens: 2, peer_id: cOnB })
    expect(await b.admin('GET', `/migrations/${offer.id}`)).toMatchObject({ status: 'OFFERED' })
    // Offering it to another peer at the same time is refused: one hand-over at a time.
    expect((await b.adminRaw('POST', '/migrations/export-party', { ...moving, peer_id: aOnB })).status).toBe(409)
  })

  it('c takes the party over: tokens pulled with paging, b lets go, a is told', async () => {
    const started = await c.adminRaw('POST', '/migrations/import-party', { ...moving, peer_id: bOnC, page_size: 1 })
    expect(started).toMatchObject({ status: 202, body: { direction: 'IMPORT', job_id: expect.any(String), status_url: expect.stringContaining('/admin/v1/jobs/') } })
    importId = started.body.id
    // A background job: a token page per step, then the announcements and the re-push (docs/jobs.md).
    // Two tokens a page each, then the empty page that ends a keyset-paged list after a full one (src/ocpi/paging.ts).
    expect((await c.jobDone(started.body)).progress).toMatchObject({ phase: 'repush', tokens: 2, token_pages: 3, tokens_repushed: 2 })
    const migration = await c.admin('GET', `/migrations/${importId}`)
    expect(migration).toMatchObject({ direction: 'IMPORT', status: 'ANNOUNCED', tokens: 2, last_error: null, detail: { token_pages: 3 } })
    expect(migration.detail.announcements[aOnC]).toBe('ACCEPTED')
    expect(migration.detail.tokens_pushed_to).toContain(aOnC)
    expect(await c.admin('GET', `/migrations/${importId}`)).toMatchObject({ status: 'ANNOUNCED' })

    // c hosts the party and its tokens; b no longer does.
    expect((await c.admin('GET', '/parties')).map((party: { party_id: string }) => party.party_id)).toContain(moving.party_id)
    expect(await tokenUids(c, moving, 'own')).toEqual(expect.arrayContaining([whitelisted.uid, realtime.uid]))
    expect((await b.admin('GET', '/parties')).map((party: { party_id: string }) => party.party_id)).not.toContain(moving.party_id)
    expect(await tokenUids(b, moving, 'own')).toEqual([])
  })

  it('a routes the party to c: roles, token cache source and the move record', async () => {
    const peerC = await a.admin('GET', `/peers/${cOnA}`)
    expect(peerC.roles.map((role: { party_id: string }) => role.party_id)).toContain(moving.party_id)
    const peerB = await a.admin('GET', `/peers/${bOnA}`)
    expect(peerB.roles.map((role: { party_id: string }) => role.party_id)).not.toContain(moving.party_id)
    const move = (await a.admin('GET', '/migrations/moves')).find((entry: { party_id: string }) => entry.party_id === moving.party_id)
    expect(move).toMatchObject({ ...moving, role: 'EMSP', to_peer_id: cOnA })
    // b had let go before c announced. Other connections of c itself (made by earlier tests on these shared platforms)
    // list the party too, and c's token re-push reaches a through each of them: any of them may be the cache's source.
    expect(move.from_peer_ids).not.toContain(bOnA)
    const cConnections = [cOnA, ...move.from_peer_ids]
    const cacheSources = () => a.admin('GET', `/tokens?source=received&party=${moving.country_code}*${moving.party_id}`).then((tokens: { peer_id: string }[]) => tokens.map((token) => token.peer_id))
    await expect.poll(async () => (await cacheSources()).every((peerId) => cConnections.includes(peerId)), poll).toBe(true)
    expect(await cacheSources()).toHaveLength(2)
  })

  it('real-time authorization at a now asks c', async () => {
    // Only c knows this account state (never pushed to CPOs): a BLOCKED answer can only come from c.
    await c.admin('PATCH', `/tokens/${moving.country_code}/${moving.party_id}/${realtime.uid}`, { account_status: 'BLOCKED' })
    const decision = await a.admin('POST', '/authorize', { token_uid: realtime.uid, party: `${cpo.country_code}*${cpo.party_id}`, country_code: 'NL' })
    expect(decision).toMatchObject({ allowed: false, reason: 'BLOCKED', source: 'realtime' })
    await c.admin('PATCH', `/tokens/${moving.country_code}/${moving.party_id}/${realtime.uid}`, { account_status: null })
    expect(await a.admin('POST', '/authorize', { token_uid: realtime.uid, party: `${cpo.country_code}*${cpo.party_id}`, country_code: 'NL' }))
      .toMatchObject({ allowed: true, reason: 'ALLOWED', source: 'realtime' })
  })

  it('the session started before the move completes at c, and its CDR reaches c', async () => {
    // a re-sent the unfinished session to c when told of the move.
    await expect.poll(async () => (await c.adminRaw('GET', `${sessionPath}?source=received`)).body, poll).toMatchObject({ id: sessionId, status: 'ACTIVE' })
    await a.admin('PATCH', sessionPath, { kwh: 7, status: 'COMPLETED', end_date_time: '2026-03-01T10:30:00Z', last_updated: '2026-03-01T10:31:00Z' })
    const cdr = cdrOf(cpo, whitelisted, sessionId)
    expect((await a.adminRaw('POST', `/cdrs/${cpo.country_code}/${cpo.party_id}`, cdr)).status).toBe(201)
    await expect.poll(async () => (await c.adminRaw('GET', `${sessionPath}?source=received`)).body?.status, poll).toBe('COMPLETED')
    await expect.poll(async () => (await c.adminRaw('GET', `/cdrs/${cpo.country_code}/${cpo.party_id}/${cdr.id}?source=received`)).body, poll)
      .toMatchObject({ id: cdr.id, session_id: sessionId, cdr_token: { uid: whitelisted.uid } })
    // b kept what it got before the move, and got nothing after it.
    expect((await b.adminRaw('GET', `${sessionPath}?source=received`)).body).toMatchObject({ status: 'ACTIVE' })
    expect((await b.adminRaw('GET', `/cdrs/${cpo.country_code}/${cpo.party_id}/${cdr.id}?source=received`)).status).toBe(404)
  })

  describe('a late push for the moved party at b (from a CPO without x-token-migration)', () => {
    const lateCpo = { country_code: 'NL', party_id: partyId() }
    const fake = new FakePeer({ modules: ['sessions'], role: { role: 'CPO', ...lateCpo } })
    let fakeToken: string
    beforeAll(async () => {
      await fake.start()
      const invite = await b.admin('POST', '/peers/invite', { name: `late CPO over ${version}` })
      const registration = await b.ocpi('POST', `/ocpi/${version}/credentials`, { token: invite.token_a, body: fake.credentials(fake.issueToken()) })
      expect(registration.body, JSON.stringify(registration.body)).toMatchObject({ status_code: 1000 })
      fakeToken = registration.body.data.token
    })
    afterAll(() => fake.stop())

    it('gets a final refusal naming the party, and b stores nothing', async () => {
      const lateId = unique('LATE')
      const session = { ...activeSession(whitelisted), ...lateCpo, id: lateId }
      const url = `/ocpi/${version}/receiver/sessions/${lateCpo.country_code}/${lateCpo.party_id}/${lateId}`
      const fromHeaders = { 'OCPI-from-country-code': lateCpo.country_code, 'OCPI-from-party-id': lateCpo.party_id }
      const addressed = await b.ocpi('PUT', url, { token: fakeToken, body: session, headers: { ...fromHeaders, 'OCPI-to-country-code': moving.country_code, 'OCPI-to-party-id': moving.party_id } })
      expect(addressed.body).toMatchObject({ status_code: 4001 })
      expect(addressed.body.status_message).toContain(`${moving.country_code}*${moving.party_id}`)
      const unaddressed = await b.ocpi('PUT', url, { token: fakeToken, body: session, headers: fromHeaders })
      expect(unaddressed.body).toMatchObject({ status_code: 2001 })
      expect(unaddressed.body.status_message).toContain(`${moving.country_code}*${moving.party_id}`)
      expect((await b.adminRaw('GET', `/sessions/${lateCpo.country_code}/${lateCpo.party_id}/${lateId}?source=received`)).status).toBe(404)
    })
  })

  it('b shows the hand-over as done, and refuses to offer the party again', async () => {
    expect(await b.admin('GET', `/migrations/${offerId}`)).toMatchObject({ status: 'MIGRATED_OUT', detail: { credentials_updates: { [aOnB]: 'UPDATED' } } })
    const offers = await b.adminRaw('POST', '/migrations/export-party', { ...moving, peer_id: cOnB })
    expect(offers.status).toBe(404)
    const repeated = await c.adminRaw('POST', '/migrations/import-party', { ...moving, peer_id: bOnC })
    expect(repeated.status).toBe(409)
  })
})
