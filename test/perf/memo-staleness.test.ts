import { env } from 'cloudflare:workers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configureMemos } from '../../src/db/memo'
import { encodeAuthorization } from '../../src/ocpi/auth'
import { countedFetch, countingEnv } from '../d1-query-counter'
import { hostCpo, sampleLocation, uniqueParty } from '../modules/locations/fixtures'
import { roleOf, uniquePartyId } from '../modules/tokens/fixtures'
import { db, registeredPeer } from '../ocpi/fixtures'
import { fakePeer } from '../push/fixtures'
import { hostParty, rfidToken } from '../modules/tokens/fixtures'
import { putReceivedToken } from '../../src/modules/tokens/store'

// What the per-isolate memos may get wrong, and for how long: a change made through this isolate is seen by its very
// next request; one made elsewhere (here: written straight to D1, as another isolate would) within the bound.

const BOUND_MS = 300
const counting = countingEnv({ MEMO_STALENESS_MS: String(BOUND_MS) })
afterAll(() => configureMemos({ MEMO_STALENESS_MS: '0' }))

const ocpi = (token: string, path: string) => countedFetch(counting, path, { headers: { Authorization: encodeAuthorization(token) } })
const admin = (method: string, path: string, body?: unknown) =>
  countedFetch(counting, `/admin/v1${path}`, { method, headers: { Authorization: 'Bearer test-admin-token', 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })

const newPeer = () => registeredPeer({ roles: [roleOf('EMSP', { country_code: 'DE', party_id: uniquePartyId() })] })

describe('token revocation under the memo', () => {
  it('a token revoked on this isolate is refused by its next request', async () => {
    const peer = await newPeer()
    expect((await ocpi(peer.token, '/ocpi/versions')).response.status).toBe(200)
    expect((await ocpi(peer.token, '/ocpi/versions')).cost.d1).toBe(0)
    expect((await admin('DELETE', `/peers/${peer.id}`)).response.status).toBe(200)
    expect((await ocpi(peer.token, '/ocpi/versions')).response.status).toBe(401)
  })

  it('a token revoked elsewhere is refused once the bound has passed', async () => {
    const peer = await newPeer()
    expect((await ocpi(peer.token, '/ocpi/versions')).response.status).toBe(200)
    await env.DB.prepare('DELETE FROM credentials_tokens WHERE peer_id = ?').bind(peer.id).run()
    // Within the bound this isolate still knows the token: the documented staleness (docs/security.md).
    expect((await ocpi(peer.token, '/ocpi/versions')).response.status).toBe(200)
    await scheduler.wait(BOUND_MS + 50)
    expect((await ocpi(peer.token, '/ocpi/versions')).response.status).toBe(401)
  })

  it('a superseded token is refused from its expires_at on, however long the memo would otherwise keep it', async () => {
    const patient = countingEnv({ MEMO_STALENESS_MS: '60000' })
    const call = (token: string) => countedFetch(patient, '/ocpi/versions', { headers: { Authorization: encodeAuthorization(token) } })
    const peer = await newPeer()
    await env.DB.prepare('UPDATE credentials_tokens SET expires_at = ? WHERE peer_id = ?').bind(Date.now() + 300, peer.id).run()
    expect((await call(peer.token)).response.status).toBe(200)
    expect((await call(peer.token)).cost.d1).toBe(0)
    await scheduler.wait(350)
    expect((await call(peer.token)).response.status).toBe(401)
  })
})

describe('writes and policy changes under the memo', () => {
  const cpo = uniqueParty('NL')
  let peer: { id: string; token: string }
  const page = async () => {
    const { response, body } = await ocpi(peer.token, '/ocpi/2.3.0/sender/locations?limit=10')
    return { total: response.headers.get('X-Total-Count'), ids: (JSON.parse(body).data as { id: string }[]).map((location) => location.id) }
  }

  beforeAll(async () => {
    await hostCpo(cpo)
    peer = await newPeer()
  })

  it('a write through this isolate shows on the next page at once; a write elsewhere within the bound', async () => {
    expect((await admin('PUT', `/locations/${cpo.country_code}/${cpo.party_id}/W1`, sampleLocation(cpo, 'W1'))).response.status).toBeLessThan(300)
    expect(await page()).toEqual({ total: '1', ids: ['W1'] })
    expect((await admin('PUT', `/locations/${cpo.country_code}/${cpo.party_id}/W2`, sampleLocation(cpo, 'W2', {}, '2026-01-02T10:00:00Z'))).response.status).toBeLessThan(300)
    expect(await page()).toEqual({ total: '2', ids: ['W1', 'W2'] })

    // Another isolate's write: unpublishing W2 in D1 directly (the trigger bumps the data version).
    await env.DB.prepare("UPDATE locations SET publish = 0 WHERE key = ?").bind(`${cpo.country_code}*${cpo.party_id}*W2`).run()
    await scheduler.wait(BOUND_MS + 50)
    expect(await page()).toEqual({ total: '1', ids: ['W1'] })
  })

  it('a sharing policy changed through this isolate applies to the next request at once', async () => {
    expect((await page()).ids).toEqual(['W1'])
    const changed = await admin('PUT', `/policies/${cpo.country_code}/${cpo.party_id}`, { default: 'none' })
    expect(changed.response.status).toBeLessThan(300)
    expect(await page()).toEqual({ total: '0', ids: [] })
  })
})

describe('real-time authorize under the memo: the peer to ask is remembered', () => {
  const patient = countingEnv({ MEMO_STALENESS_MS: '60000' })
  const owner = { country_code: 'DE', party_id: uniquePartyId() }
  const sender = 'https://emsp-memo.example.com/ocpi/2.3.0/sender/tokens'
  let cpo: { country_code: string; party_id: string }
  let emsp: { id: string }
  let restore: (() => void) | undefined
  afterAll(() => restore?.())

  const authorize = (uid: string) =>
    countedFetch(patient, '/admin/v1/authorize', {
      method: 'POST',
      headers: { Authorization: 'Bearer test-admin-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ party: `${cpo.country_code}*${cpo.party_id}`, token_uid: uid }),
    })
  /** The eMSP answers ALLOWED to the token it currently accepts from us, 401 to any other, 503 while `down`. */
  let accepted = 'token-we-present'
  let down = false
  const asked: string[] = []

  beforeAll(async () => {
    cpo = await hostParty('CPO', 'DE')
    emsp = await registeredPeer({ roles: [roleOf('EMSP', owner)], fields: { endpoints: [{ identifier: 'tokens', role: 'SENDER', url: sender }] } })
    for (const uid of ['MEMO1', 'MEMO2', 'MEMO3', 'MEMO4']) await putReceivedToken(db(), emsp.id, rfidToken(owner, uid) as never)
    restore = fakePeer((push) => {
      const presented = push.headers.get('Authorization') ?? ''
      asked.push(presented)
      if (down) return new Response('down', { status: 503 })
      if (presented !== encodeAuthorization(accepted)) return Response.json({ status_code: 2002, status_message: 'Unknown token', timestamp: new Date().toISOString() }, { status: 401 })
      return Response.json({ data: { allowed: 'ALLOWED', token: rfidToken(owner, 'X') }, status_code: 1000, timestamp: new Date().toISOString() })
    }).restore
  })

  it('a second decision for the same owner reads only the token from D1', async () => {
    const first = await authorize('MEMO1')
    expect(JSON.parse(first.body)).toMatchObject({ allowed: true, source: 'realtime' })
    const second = await authorize('MEMO2')
    expect(JSON.parse(second.body)).toMatchObject({ allowed: true, source: 'realtime' })
    expect(second.cost.d1).toBeLessThanOrEqual(first.cost.d1 - 2)
  })

  it('a token renewed on another isolate: the refused request is sent again with the peer read afresh', async () => {
    await env.DB.prepare('UPDATE peers SET outbound_token = ? WHERE id = ?').bind('token-renewed', emsp.id).run()
    accepted = 'token-renewed'
    asked.length = 0
    const answer = await authorize('MEMO3')
    expect(JSON.parse(answer.body)).toMatchObject({ allowed: true, source: 'realtime' })
    expect(asked).toEqual([encodeAuthorization('token-we-present'), encodeAuthorization('token-renewed')])
  })

  it('an eMSP that is down is asked once, not twice', async () => {
    down = true
    asked.length = 0
    const answer = await authorize('MEMO4')
    expect(JSON.parse(answer.body).source).not.toBe('realtime')
    expect(asked).toHaveLength(1)
    down = false
  })
})
