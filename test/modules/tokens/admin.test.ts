import { env } from 'cloudflare:workers'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { locations, OWN_SOURCE } from '../../../src/db/schema'
import { findReceivedTokensByUid, getOwnToken, putReceivedToken } from '../../../src/modules/tokens/store'
import { ownerOfEmaid } from '../../../src/modules/tokens/authorize'
import { peerOutbox, invalidatePushPeers } from '../../../src/push/publish'
import { finishJob } from '../../jobs/fixtures'
import { adminFetch, db, registeredPeer } from '../../ocpi/fixtures'
import { fakePeer, ocpiAnswer } from '../../push/fixtures'
import { hostParty, rfidToken, roleOf, uniquePartyId, writeOwnToken } from './fixtures'
import { present } from '../../present'

const EMSP_SENDER = 'https://emsp.example.com/ocpi/2.3.0/sender/tokens'
const admin = async (method: string, path: string, body?: unknown) => {
  const response = await adminFetch(path, { method, body })
  return { status: response.status, body: await response.json<any>() }
}

/** The eMSP's answer to a real-time authorize: AuthorizationInfo for `token`. */
const authorizationInfo = (token: Record<string, unknown>, allowed = 'ALLOWED', authorization_reference?: string) =>
  Response.json({ data: { allowed, token, ...(authorization_reference ? { authorization_reference } : {}) }, status_code: 1000, timestamp: new Date().toISOString() })

describe('POST /admin/v1/authorize: the CPO side decides by whitelist, asking the eMSP when it must', () => {
  let cpo: { country_code: string; party_id: string }
  const emsp = { country_code: 'DE', party_id: uniquePartyId() }
  let peerId: string
  let restoreFetch: (() => void) | undefined
  const authorize = (body: Record<string, unknown>) => admin('POST', '/authorize', { party: `${cpo.country_code}*${cpo.party_id}`, ...body })
  const cache = (uid: string, fields: Record<string, unknown> = {}, allowedCountries?: string[]) => putReceivedToken(db(), peerId, rfidToken(emsp, uid, fields) as any, allowedCountries)

  beforeAll(async () => {
    cpo = await hostParty('CPO', 'DE')
    const peer = await registeredPeer({ roles: [roleOf('EMSP', emsp)], fields: { endpoints: [{ identifier: 'tokens', role: 'SENDER', url: EMSP_SENDER }] } })
    peerId = peer.id
  })
  afterEach(() => restoreFetch?.())

  it('ALWAYS: allowed from the cache without asking the eMSP', async () => {
    await cache('ALW1', { whitelist: 'ALWAYS' })
    const peer = fakePeer(() => ocpiAnswer(3000))
    restoreFetch = peer.restore
    const { status, body } = await authorize({ token_uid: 'alw1' })
    expect(status).toBe(200)
    expect(body).toMatchObject({ allowed: true, reason: 'ALLOWED', source: 'whitelist', token: { uid: 'ALW1' } })
    expect(peer.received).toHaveLength(0)
  })

  it('a named owner finds its cached token however many newer tokens of other eMSPs share the uid', async () => {
    await cache('SHR1', { whitelist: 'ALWAYS', last_updated: '2020-01-01T00:00:00Z' })
    for (let index = 0; index < 11; index++) {
      await putReceivedToken(db(), peerId, rfidToken({ country_code: 'NL', party_id: `H${String(index).padStart(2, '0')}` }, 'SHR1', { whitelist: 'NEVER', last_updated: '2024-01-01T00:00:00Z' }) as any)
    }
    const peer = fakePeer(() => ocpiAnswer(3000))
    restoreFetch = peer.restore
    const { body } = await authorize({ token_uid: 'SHR1', token_party: `${emsp.country_code}*${emsp.party_id}` })
    expect(body).toMatchObject({ allowed: true, source: 'whitelist', token: { ...emsp, uid: 'SHR1' } })
    expect(peer.received).toHaveLength(0)
  })

  it('ALLOWED: asks the owner in real time, with LocationReferences and routing headers, and returns its authorization_reference', async () => {
    const token = rfidToken(emsp, 'RT1')
    await cache('RT1')
    const peer = fakePeer(() => authorizationInfo(token, 'ALLOWED', 'REF-123'))
    restoreFetch = peer.restore
    const { body } = await authorize({ token_uid: 'RT1', location_id: 'LOC1', evse_uids: ['EVSE1'] })
    expect(body).toMatchObject({ allowed: true, reason: 'ALLOWED', source: 'realtime', authorization_reference: 'REF-123' })
    expect(peer.received).toHaveLength(1)
    const request = present(peer.received[0], 'the authorize request')
    expect(request.method).toBe('POST')
    expect(request.url).toBe(`${EMSP_SENDER}/RT1/authorize?type=RFID`)
    expect(request.body).toEqual({ location_id: 'LOC1', evse_uids: ['EVSE1'] })
    expect(request.headers.get('OCPI-to-party-id')).toBe(emsp.party_id)
    expect(request.headers.get('OCPI-from-party-id')).toBe(cpo.party_id)
    expect(request.headers.get('Authorization')).toMatch(/^Token /)
  })

  it('follows the eMSP when it refuses', async () => {
    await cache('BLK1', { whitelist: 'NEVER' })
    const peer = fakePeer(() => authorizationInfo(rfidToken(emsp, 'BLK1', { valid: false, whitelist: 'NEVER' }), 'BLOCKED'))
    restoreFetch = peer.restore
    expect((await authorize({ token_uid: 'BLK1' })).body).toMatchObject({ allowed: false, reason: 'BLOCKED', source: 'realtime' })
    expect((await authorize({ token_uid: 'BLK1' })).body).not.toHaveProperty('authorization_reference')
  })

  it('ALLOWED_OFFLINE: allowed by the documented fallback when the eMSP cannot be reached; NEVER: refused', async () => {
    await cache('OFF1', { whitelist: 'ALLOWED_OFFLINE' })
    await cache('NEV1', { whitelist: 'NEVER' })
    const peer = fakePeer(() => { throw new TypeError('connection refused') })
    restoreFetch = peer.restore
    expect((await authorize({ token_uid: 'OFF1' })).body).toMatchObject({ allowed: true, reason: 'ALLOWED', source: 'offline-fallback' })
    expect((await authorize({ token_uid: 'NEV1' })).body).toMatchObject({ allowed: false, reason: 'EMSP_UNREACHABLE', source: 'realtime' })
    const serverError = fakePeer(() => ocpiAnswer(3000, 'Backend down'))
    restoreFetch = () => { peer.restore(); serverError.restore() }
    expect((await authorize({ token_uid: 'OFF1' })).body).toMatchObject({ allowed: true, source: 'offline-fallback' })
  })

  it('an invalid token: refused locally when ALWAYS', async () => {
    await cache('INV1', { whitelist: 'ALWAYS', valid: false })
    expect((await authorize({ token_uid: 'INV1' })).body).toMatchObject({ allowed: false, reason: 'INVALID_TOKEN', source: 'whitelist' })
  })

  it('a whitelisted token limited to some countries is refused elsewhere', async () => {
    await cache('DACH1', { whitelist: 'ALWAYS' }, ['DE', 'AT'])
    expect((await authorize({ token_uid: 'DACH1', country_code: 'AT' })).body).toMatchObject({ allowed: true, source: 'whitelist' })
    expect((await authorize({ token_uid: 'DACH1', country_code: 'NL' })).body).toMatchObject({ allowed: false, reason: 'NOT_ALLOWED', source: 'whitelist' })
    // Without country_code, the CPO's own location tells where the charge point is (Location.country is alpha-3).
    for (const [id, country] of [['OWN-NL', 'NLD'], ['OWN-AT', 'AUT']] as const) {
      const object = { country_code: cpo.country_code, party_id: cpo.party_id, id, country, publish: true, last_updated: '2026-01-01T00:00:00Z' }
      await db().insert(locations).values({
        source: OWN_SOURCE, key: `${cpo.country_code}*${cpo.party_id}*${id}`, country_code: cpo.country_code, party_id: cpo.party_id, id,
        publish: true, last_updated: 0, revision: 1, object: object as any, json_230: JSON.stringify(object), json_221: JSON.stringify(object),
      })
    }
    expect((await authorize({ token_uid: 'DACH1', location_id: 'OWN-NL' })).body).toMatchObject({ allowed: false, reason: 'NOT_ALLOWED' })
    expect((await authorize({ token_uid: 'DACH1', location_id: 'OWN-AT' })).body).toMatchObject({ allowed: true })
  })

  it('an unknown token: refused without an owner to ask; asked (2004) when the owner is named', async () => {
    const peer = fakePeer(() => Response.json({ status_code: 2004, status_message: 'Unknown token', timestamp: new Date().toISOString() }, { status: 404 }))
    restoreFetch = peer.restore
    expect((await authorize({ token_uid: 'NOBODY1' })).body).toMatchObject({ allowed: false, reason: 'UNKNOWN_TOKEN', source: 'whitelist' })
    expect(peer.received).toHaveLength(0)
    expect((await authorize({ token_uid: 'NOBODY1', token_party: `${emsp.country_code}*${emsp.party_id}` })).body)
      .toMatchObject({ allowed: false, reason: 'UNKNOWN_TOKEN', source: 'realtime' })
    expect(peer.received).toHaveLength(1)
  })

  it('an EMAID names its owner: asked in real time, and the answered token is cached', async () => {
    const uid = `${emsp.country_code}-${emsp.party_id}-C12E46L89`
    const token = { ...rfidToken(emsp, uid), type: 'EMAID', whitelist: 'NEVER' }
    const peer = fakePeer(() => authorizationInfo(token, 'ALLOWED', 'REF-EMAID'))
    restoreFetch = peer.restore
    expect((await authorize({ token_uid: uid, type: 'EMAID' })).body).toMatchObject({ allowed: true, source: 'realtime', authorization_reference: 'REF-EMAID' })
    expect(await findReceivedTokensByUid(db(), uid, 'EMAID')).toMatchObject([{ token: { uid, type: 'EMAID' }, peer_id: peerId }])
  })

  it('validates the request', async () => {
    expect(await authorize({})).toMatchObject({ status: 400, body: { error: { code: 2001, path: 'token_uid' } } })
    expect(await authorize({ token_uid: 'X', party: 'ZZ*NOP' })).toMatchObject({ status: 404, body: { error: { path: 'party' } } })
    expect(await authorize({ token_uid: 'X', party: 'nonsense' })).toMatchObject({ status: 400, body: { error: { path: 'party' } } })
  })
})

describe('owner writes and reads', () => {
  let emsp: { country_code: string; party_id: string }
  let cpoPeer: { id: string }
  beforeEach(() => invalidatePushPeers())

  beforeAll(async () => {
    emsp = await hostParty('EMSP', 'DE')
    cpoPeer = await registeredPeer({
      roles: [roleOf('CPO', { country_code: 'NL', party_id: uniquePartyId() })],
      fields: { endpoints: [{ identifier: 'tokens', role: 'RECEIVER', url: 'http://127.0.0.1:9/ocpi/2.3.0/receiver/tokens' }] },
    })
  })
  afterEach(() => peerOutbox(env, cpoPeer.id).purge())

  it('PUT stores a hosted eMSP token and queues it for CPO peers with ?type=', async () => {
    const written = await writeOwnToken({ ...rfidToken(emsp, 'APP1'), type: 'APP_USER', whitelist: 'NEVER' }, { allowed_countries: ['de'], account_status: 'NO_CREDIT' })
    expect(written).toMatchObject({ uid: 'APP1', allowed_countries: ['DE'], account_status: 'NO_CREDIT' })
    const queued = await peerOutbox(env, cpoPeer.id).list()
    expect(queued).toContainEqual(expect.objectContaining({ method: 'PUT', module: 'tokens', path: [emsp.country_code, emsp.party_id, 'APP1'] }))
  })

  it('PATCH merges, keeps rules it does not name, and pushes only wire changes', async () => {
    await writeOwnToken(rfidToken(emsp, 'PAT1'), { allowed_countries: ['DE'] })
    const patched = await admin('PATCH', `/tokens/${emsp.country_code}/${emsp.party_id}/PAT1`, { valid: false })
    expect(patched.body).toMatchObject({ valid: false, allowed_countries: ['DE'] })
    expect(patched.body.last_updated).not.toBe('2026-02-01T10:00:00Z')
    const statusOnly = await admin('PATCH', `/tokens/${emsp.country_code}/${emsp.party_id}/PAT1`, { account_status: 'EXPIRED' })
    expect(statusOnly.body).toMatchObject({ account_status: 'EXPIRED', last_updated: patched.body.last_updated })
    expect((await getOwnToken(db(), { ...emsp, uid: 'PAT1', type: 'RFID' }))?.account_status).toBe('EXPIRED')
  })

  it('refuses writes for parties that are not hosted eMSPs and mismatched ids', async () => {
    expect((await admin('PUT', '/tokens/ZZ/NOP/X1', rfidToken({ country_code: 'ZZ', party_id: 'NOP' }, 'X1'))).status).toBe(404)
    expect(await admin('PUT', `/tokens/${emsp.country_code}/${emsp.party_id}/X1`, rfidToken(emsp, 'X2'))).toMatchObject({ status: 400, body: { error: { path: 'uid' } } })
    expect(await admin('PATCH', `/tokens/${emsp.country_code}/${emsp.party_id}/NEVER`, { valid: false })).toMatchObject({ status: 404 })
  })

  it('GET lists own tokens of a party with X-Total-Count, and one token by id', async () => {
    const list = await adminFetch(`/tokens?party=${emsp.country_code}*${emsp.party_id}&source=own&limit=2`)
    expect(list.headers.get('X-Total-Count')).toMatch(/^\d+$/)
    expect((await list.json<any[]>()).length).toBeLessThanOrEqual(2)
    expect((await admin('GET', `/tokens/${emsp.country_code}/${emsp.party_id}/APP1?type=APP_USER`)).body).toMatchObject({ uid: 'APP1' })
    expect((await admin('GET', `/tokens/${emsp.country_code}/${emsp.party_id}/APP1?type=APP_USER&source=received`)).status).toBe(404)
  })
})

describe('GET /admin/v1/tokens pages like the other management lists', () => {
  it('sends X-Limit and a Link that reaches every token of the party once', async () => {
    const emsp = await hostParty('EMSP')
    for (const uid of ['PG1', 'PG2', 'PG3']) await writeOwnToken(rfidToken(emsp, uid))
    const seen: string[] = []
    let path: string | undefined = `/tokens?party=${emsp.country_code}*${emsp.party_id}&source=own&limit=2`
    while (path) {
      const response = await adminFetch(path)
      expect(response.headers.get('X-Total-Count')).toBe('3')
      expect(response.headers.get('X-Limit')).toBe('2')
      seen.push(...(await response.json<any[]>()).map((token) => token.uid))
      const next = response.headers.get('Link')?.match(/<([^>]+)>/)?.[1]
      path = next ? new URL(next).pathname.replace('/admin/v1', '') + new URL(next).search : undefined
    }
    expect(seen.sort()).toEqual(['PG1', 'PG2', 'PG3'])
  })
})

describe('POST /admin/v1/tokens/sync/{peer_id}: pull every page of an eMSP peer', () => {
  it('follows Link, stores the tokens of parties the peer represents, and counts the rest as rejected', async () => {
    await hostParty('CPO', 'NL')
    const emsp = { country_code: 'DE', party_id: uniquePartyId() }
    const peer = await registeredPeer({ roles: [roleOf('EMSP', emsp)], fields: { endpoints: [{ identifier: 'tokens', role: 'SENDER', url: EMSP_SENDER }] } })
    const pages = [
      { data: [rfidToken(emsp, 'S1'), rfidToken(emsp, 'S2')], link: `<${EMSP_SENDER}?offset=2&limit=2>; rel="next"` },
      { data: [rfidToken(emsp, 'S3'), rfidToken({ country_code: 'FR', party_id: 'OTH' }, 'S4'), { uid: 'broken' }] },
    ]
    const fake = fakePeer((_request, index) => {
      const page = present(pages[index], `page ${index}`)
      return Response.json({ data: page.data, status_code: 1000, timestamp: new Date().toISOString() }, { headers: page.link ? { Link: page.link } : {} })
    })
    try {
      const { status, body } = await admin('POST', `/tokens/sync/${peer.id}`, {})
      expect(status).toBe(202)
      expect(body).toMatchObject({ kind: 'tokens.sync', status_url: `/admin/v1/jobs/${body.job_id}` })
      // One page per step: two alarms, then DONE.
      const job = await finishJob(body.job_id)
      expect(job).toMatchObject({ status: 'DONE', steps: 2, last_error: null })
      expect(job.progress).toEqual({ peer_id: peer.id, parties: [{ ...emsp, pages: 2, received: 5, stored: 3, rejected: 2 }] })
      expect((await admin('GET', `/jobs/${body.job_id}`)).body).toMatchObject({ status: 'DONE', finished_at: expect.any(String) })
      expect(fake.received[0]?.headers.get('OCPI-to-party-id')).toBe(emsp.party_id)
      expect(fake.received[1]?.url).toBe(`${EMSP_SENDER}?offset=2&limit=2`)
    } finally {
      fake.restore()
    }
    const received = await admin('GET', `/tokens?party=${emsp.country_code}*${emsp.party_id}&source=received`)
    expect(received.body.map((token: any) => token.uid).sort()).toEqual(['S1', 'S2', 'S3'])
    expect(received.body[0].peer_id).toBe(peer.id)
    expect((await admin('POST', '/tokens/sync/no-such-peer', {})).status).toBe(404)
  })
})

describe('ownerOfEmaid', () => {
  it.each([
    ['DE-8AC-C12E46L89', 'EMAID', { country_code: 'DE', party_id: '8AC' }],
    ['DE8ACC12E46L89', 'EMAID', { country_code: 'DE', party_id: '8AC' }],
    ['nl*tnm*c00012345', 'emaid', { country_code: 'NL', party_id: 'TNM' }],
    ['DE-8AC-C12E46L89', 'RFID', undefined],
    ['12345678905880', 'EMAID', undefined],
  ])('%s (%s)', (uid, type, owner) => {
    expect(ownerOfEmaid(uid, type)).toEqual(owner)
  })
})
