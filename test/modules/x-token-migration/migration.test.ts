import { env } from 'cloudflare:workers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import tokenExample from '../../fixtures/spec/2.3.0/examples/token_example_2_full_rfid.json'
import sessionExample from '../../fixtures/spec/2.3.0/examples/session_example_1_simple_start.json'
import { database } from '../../../src/db/client'
import { parties } from '../../../src/db/schema'
import { Session } from '../../../src/ocpi/objects/session'
import { putOwnSession } from '../../../src/modules/sessions/store'
import { Token } from '../../../src/ocpi/objects/token'
import { findReceivedTokensByUid, listOwnTokensOfParty, putOwnToken, putReceivedToken } from '../../../src/modules/tokens/store'
import { offerParty } from '../../../src/modules/x-token-migration/handover'
import { findHostedParty, invalidateHostedParties } from '../../../src/peers/parties'
import { peerOutbox } from '../../../src/push/publish'
import { adminCall, ocpiCall, peerRepresenting, setPeerRoles, type TestPeer } from '../authenticated-peer'

const db = database(env.DB)
const MODULE = 'x-token-migration'
const tokenOf = (party: { country_code: string; party_id: string }, uid: string) => Token.parse({ ...tokenExample, ...party, uid })
const body = async (response: Response) => response.json<{ status_code: number; status_message: string; data: any }>()

describe('x-token-migration SENDER (old platform)', () => {
  const leaving = { country_code: 'DE', party_id: 'OLD' }
  let newPlatform: TestPeer
  let otherPeer: TestPeer
  const base = 'sender/x-token-migration/DE/OLD'

  beforeAll(async () => {
    await db.insert(parties).values({ ...leaving, role: 'EMSP', business_details: { name: 'Leaving eMSP' }, created_at: Date.now() })
    invalidateHostedParties()
    for (const uid of ['T1', 'T2', 'T3']) await putOwnToken(db, tokenOf(leaving, uid), { allowed_countries: ['DE'], account_status: uid === 'T3' ? 'BLOCKED' : null })
    newPlatform = await peerRepresenting([{ country_code: 'DE', party_id: 'NEW' }], [], [MODULE])
    otherPeer = await peerRepresenting([{ country_code: 'NL', party_id: 'CPO', role: 'CPO' }], [], [MODULE])
    expect(await offerParty(db, { ...leaving, peer_id: newPlatform.id })).toMatchObject({ status: 'OFFERED', tokens: 3 })
  })

  it('shows the hand-over only to the peer it was offered to', async () => {
    const refused = await ocpiCall(otherPeer, 'GET', base)
    expect(refused.status).toBe(404)
    expect((await body(refused)).status_code).toBe(2003)
    expect((await body(await ocpiCall(otherPeer, 'GET', `${base}/tokens`))).status_code).toBe(2003)
    expect((await body(await ocpiCall(newPlatform, 'GET', base))).data).toMatchObject({ ...leaving, role: 'EMSP', status: 'OFFERED', token_count: 3, business_details: { name: 'Leaving eMSP' } })
  })

  it('is an unknown endpoint (404) to the offered peer too when x-token-migration is not agreed with it', async () => {
    const unagreed = await peerRepresenting([{ country_code: 'DE', party_id: 'NEW' }])
    const refused = await ocpiCall(unagreed, 'GET', base)
    expect(refused.status).toBe(404)
    expect((await body(refused)).status_code).toBe(2000)
  })

  it('pages through the tokens with their eMSP-side rules', async () => {
    const first = await ocpiCall(newPlatform, 'GET', `${base}/tokens?limit=2`)
    expect(first.headers.get('X-Total-Count')).toBe('3')
    const firstPage = (await body(first)).data
    expect(firstPage).toHaveLength(2)
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('Link') ?? '')?.[1]
    expect(next).toBeDefined()
    const secondPage = (await body(await ocpiCall(newPlatform, 'GET', next!))).data
    expect([...firstPage, ...secondPage].map((item: { token: Token }) => item.token.uid).sort()).toEqual(['T1', 'T2', 'T3'])
    expect([...firstPage, ...secondPage].find((item: { token: Token }) => item.token.uid === 'T3')).toMatchObject({ allowed_countries: ['DE'], account_status: 'BLOCKED' })
  })

  it('lets go only when the new platform confirms every token, then no longer hosts the party or its tokens', async () => {
    const short = await body(await ocpiCall(newPlatform, 'POST', `${base}/complete`, { tokens_received: 2 }))
    expect(short).toMatchObject({ status_code: 2001, data: { path: 'tokens_received' } })
    expect(await findHostedParty(db, leaving, 'EMSP')).toBeDefined()

    const done = await body(await ocpiCall(newPlatform, 'POST', `${base}/complete`, { tokens_received: 3 }))
    expect(done).toMatchObject({ status_code: 1000, data: { status: 'MIGRATED_OUT', token_count: 3 } })
    expect(done.data.migrated_at).toBeTypeOf('string')
    expect(await findHostedParty(db, leaving, 'EMSP')).toBeUndefined()
    expect((await listOwnTokensOfParty(db, leaving, { offset: 0, limit: 10 })).total).toBe(0)
    expect((await body(await ocpiCall(newPlatform, 'GET', `${base}/tokens`))).data).toEqual([])
    // Repeating it is harmless.
    expect((await body(await ocpiCall(newPlatform, 'POST', `${base}/complete`, { tokens_received: 3 }))).status_code).toBe(1000)
  })
})

describe('x-token-migration RECEIVER (CPO platform)', () => {
  const moving = { country_code: 'DE', party_id: 'MOV' }
  const cpo = { country_code: 'NL', party_id: 'CPM' }
  let oldPlatform: TestPeer
  let newPlatform: TestPeer
  const move = { ...moving, role: 'EMSP', moved_at: '2026-11-25T23:00:00Z' }

  beforeAll(async () => {
    oldPlatform = await peerRepresenting([moving], [], [MODULE])
    newPlatform = await peerRepresenting([{ country_code: 'DE', party_id: 'NEW' }], ['sessions', 'cdrs'], [MODULE])
    for (const uid of ['M1', 'M2']) await putReceivedToken(db, oldPlatform.id, tokenOf(moving, uid))
    const cdr_token = { ...sessionExample.cdr_token, ...moving, uid: 'M1' }
    await putOwnSession(db, Session.parse({ ...sessionExample, ...cpo, id: 'MOV-ACTIVE', cdr_token, status: 'ACTIVE' }))
    await putOwnSession(db, Session.parse({ ...sessionExample, ...cpo, id: 'MOV-DONE', cdr_token, status: 'COMPLETED' }))
    // A CDR that could not reach the old platform yet (this test peer has no endpoint: it stays queued).
    await peerOutbox(env, oldPlatform.id).enqueue({ module: 'cdrs', method: 'POST', path: [], bodies: { '2.3.0': { id: 'CDR-LATE' } }, from: cpo, objectKey: 'cdrs/NL/CPM/CDR-LATE' }, moving)
  })
  afterAll(async () => {
    await peerOutbox(env, oldPlatform.id).purge()
    await peerOutbox(env, newPlatform.id).purge()
  })

  it('refuses a move announced by a peer that does not list the party in its roles', async () => {
    const refused = await body(await ocpiCall(newPlatform, 'PUT', 'receiver/x-token-migration/DE/MOV', move))
    expect(refused.status_code).toBe(2001)
    expect((await findReceivedTokensByUid(db, 'M1'))[0]?.peer_id).toBe(oldPlatform.id)
  })

  it('re-points the token cache, re-sends unfinished sessions and re-targets queued pushes to the new platform', async () => {
    await setPeerRoles(oldPlatform.id, [{ country_code: 'DE', party_id: 'STY' }])
    await setPeerRoles(newPlatform.id, [{ country_code: 'DE', party_id: 'NEW' }, moving])
    const accepted = await body(await ocpiCall(newPlatform, 'PUT', 'receiver/x-token-migration/DE/MOV', move))
    expect(accepted).toMatchObject({ status_code: 1000, data: { tokens_moved: 2, sessions_resent: 1, pushes_retargeted: 1, still_listed_by_other_peers: 0 } })

    for (const uid of ['M1', 'M2']) expect((await findReceivedTokensByUid(db, uid))[0]?.peer_id).toBe(newPlatform.id)
    expect(await peerOutbox(env, oldPlatform.id).list()).toEqual([])
    const queued = await peerOutbox(env, newPlatform.id).list()
    expect(queued.map(({ module, method, path, to }) => ({ module, method, path, to }))).toEqual([
      { module: 'cdrs', method: 'POST', path: [], to: moving },
      { module: 'sessions', method: 'PUT', path: ['NL', 'CPM', 'MOV-ACTIVE'], to: moving },
    ])
    const moves = await (await adminCall('GET', '/migrations/moves')).json<unknown[]>()
    expect(moves).toEqual(expect.arrayContaining([expect.objectContaining({ ...moving, to_peer_id: newPlatform.id, from_peer_ids: [] })]))
  })

  it('answers 2001 with the field path when the body and the URL name different parties', async () => {
    const mismatch = await body(await ocpiCall(newPlatform, 'PUT', 'receiver/x-token-migration/DE/MOV', { ...move, party_id: 'XYZ' }))
    expect(mismatch).toMatchObject({ status_code: 2001, data: { path: 'party_id' } })
  })
})
