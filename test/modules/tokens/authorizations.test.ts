import { env } from 'cloudflare:workers'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { pseudonymOf } from '../../../src/modules/x-gdpr/pseudonym'
import { adminFetch, db, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { fakePeer } from '../../push/fixtures'
import { hostParty, rfidToken, roleOf, toHeaders, writeOwnToken, uniquePartyId } from './fixtures'
import { putReceivedToken } from '../../../src/modules/tokens/store'
import { present } from '../../present'

const EMSP_SENDER = 'https://emsp.example.com/ocpi/2.3.0/sender/tokens'
const admin = async (method: string, path: string, body?: unknown) => {
  const response = await adminFetch(path, { method, body })
  return { status: response.status, headers: response.headers, body: await response.json<any>() }
}
const authorizationInfo = (token: Record<string, unknown>, allowed: string, authorization_reference?: string) =>
  Response.json({ data: { allowed, token, ...(authorization_reference ? { authorization_reference } : {}) }, status_code: 1000, timestamp: new Date().toISOString() })

describe('authorization log (B3.1): every decision is recorded, on both sides', () => {
  let cpo: { country_code: string; party_id: string }
  let emspHere: { country_code: string; party_id: string }
  const remoteEmsp = { country_code: 'DE', party_id: uniquePartyId() }
  let emspPeer: { id: string; token: string }
  let restoreFetch: (() => void) | undefined
  afterEach(() => restoreFetch?.())

  beforeAll(async () => {
    cpo = await hostParty('CPO', 'DE')
    emspHere = await hostParty('EMSP', 'DE')
    emspPeer = await registeredPeer({ roles: [roleOf('EMSP', remoteEmsp)], extensions: ['x-gdpr'], fields: { endpoints: [{ identifier: 'tokens', role: 'SENDER', url: EMSP_SENDER }] } })
  })

  const authorize = (body: Record<string, unknown>) => admin('POST', '/authorize', { party: `${cpo.country_code}*${cpo.party_id}`, ...body })
  const logOf = async (query: string) => (await admin('GET', `/authorizations?${query}`)).body as any[]

  it('CPO side: a whitelist decision is logged without a peer; a real-time one with the peer asked and its reference', async () => {
    await putReceivedToken(db(), emspPeer.id, rfidToken(remoteEmsp, 'LOGW1', { whitelist: 'ALWAYS' }) as any)
    await authorize({ token_uid: 'logw1', location_id: 'LOC1', evse_uids: ['E1'] })
    expect(await logOf('token_uid=LOGW1')).toEqual([expect.objectContaining({
      side: 'CPO', party: cpo, token: { ...remoteEmsp, uid: 'LOGW1', type: 'RFID' }, location_id: 'LOC1', evse_uids: ['E1'],
      allowed: true, reason: 'ALLOWED', source: 'whitelist', authorization_reference: null, peer_id: null,
    })])

    await putReceivedToken(db(), emspPeer.id, rfidToken(remoteEmsp, 'LOGR1') as any)
    restoreFetch = fakePeer(() => authorizationInfo(rfidToken(remoteEmsp, 'LOGR1'), 'BLOCKED')).restore
    await authorize({ token_uid: 'LOGR1' })
    restoreFetch()
    restoreFetch = fakePeer(() => authorizationInfo(rfidToken(remoteEmsp, 'LOGR1'), 'ALLOWED', 'REF-LOG-1')).restore
    await authorize({ token_uid: 'LOGR1' })
    expect(await logOf('token_uid=LOGR1')).toMatchObject([
      { side: 'CPO', allowed: false, reason: 'BLOCKED', source: 'realtime', authorization_reference: null, peer_id: emspPeer.id },
      { side: 'CPO', allowed: true, reason: 'ALLOWED', source: 'realtime', authorization_reference: 'REF-LOG-1', peer_id: emspPeer.id },
    ])
  })

  it('CPO side: an unknown token whose owner cannot be told is logged without an owner', async () => {
    await authorize({ token_uid: 'LOGNOBODY' })
    expect(await logOf('token_uid=LOGNOBODY')).toMatchObject([{ token: { country_code: null, party_id: null, uid: 'LOGNOBODY' }, allowed: false, reason: 'UNKNOWN_TOKEN' }])
  })

  it('eMSP side: a real-time authorize by a CPO peer is logged with the reference it was given, unknown tokens too', async () => {
    const cpoPeer = await registeredPeer({ roles: [roleOf('CPO', { country_code: 'NL', party_id: 'LGC' })] })
    await writeOwnToken(rfidToken(emspHere, 'LOGE1'))
    const call = (uid: string, body?: unknown) =>
      ocpiFetch(`/ocpi/2.3.0/sender/tokens/${uid}/authorize`, { method: 'POST', token: cpoPeer.token, body, headers: toHeaders(emspHere) })
    const answer = await (await call('LOGE1', { location_id: 'NLLOC', evse_uids: ['NLE1'] })).json<OcpiBody>()
    expect(answer.data.allowed).toBe('ALLOWED')
    expect((await call('LOGE-UNKNOWN')).status).toBe(404)
    expect(await logOf(`party=${emspHere.country_code}*${emspHere.party_id}`)).toMatchObject([
      { side: 'EMSP', party: emspHere, token: { ...emspHere, uid: 'LOGE1', type: 'RFID' }, location_id: 'NLLOC', evse_uids: ['NLE1'], allowed: true, reason: 'ALLOWED', source: 'realtime', authorization_reference: answer.data.authorization_reference, peer_id: cpoPeer.id },
      { side: 'EMSP', token: { uid: 'LOGE-UNKNOWN' }, allowed: false, reason: 'UNKNOWN_TOKEN', authorization_reference: null, peer_id: cpoPeer.id },
    ])
  })

  it('pages the list like the other management lists, filtered by party and date', async () => {
    const party = `party=${cpo.country_code}*${cpo.party_id}`
    const all = await admin('GET', `/authorizations?${party}`)
    expect(all.headers.get('X-Total-Count')).toBe(String(all.body.length))
    expect(all.body.length).toBeGreaterThanOrEqual(4)
    const first = await admin('GET', `/authorizations?${party}&limit=2`)
    expect(first.body.map((entry: any) => entry.id)).toEqual(all.body.slice(0, 2).map((entry: any) => entry.id))
    const next = new URL(present(/<([^>]+)>/.exec(first.headers.get('Link')!)?.[1], 'the next link'))
    expect(next.searchParams.get('party')).toBe(`${cpo.country_code}*${cpo.party_id}`)
    const second = await admin('GET', `${next.pathname.replace('/admin/v1', '')}${next.search}`)
    expect(second.body.map((entry: any) => entry.id)).toEqual(all.body.slice(2, 4).map((entry: any) => entry.id))
    expect(await logOf(`${party}&date_from=${new Date(Date.now() + 60_000).toISOString()}`)).toEqual([])
    expect((await admin('GET', '/authorizations?party=nope')).status).toBe(400)
  })

  it('GDPR: right of access exports the token\'s entries, right to be forgotten pseudonymizes them', async () => {
    const gdpr = (action: string) =>
      ocpiFetch(`/ocpi/2.3.0/receiver/x-gdpr/${remoteEmsp.country_code}/${remoteEmsp.party_id}/LOGR1/${action}`, { method: 'POST', token: emspPeer.token })
    const exported = await (await gdpr('access')).json<OcpiBody>()
    expect(exported.status_code, exported.status_message).toBe(1000)
    expect(exported.data.records.authorizations).toMatchObject([{ token: { uid: 'LOGR1' }, reason: 'BLOCKED' }, { token: { uid: 'LOGR1' }, authorization_reference: 'REF-LOG-1' }])

    const forgotten = await (await gdpr('forget')).json<OcpiBody>()
    expect(forgotten.data.erased.authorizations).toBe(2)
    const pseudonym = await pseudonymOf(env.GDPR_PSEUDONYM_KEY, { ...remoteEmsp, uid: 'LOGR1' })
    expect(await logOf('token_uid=LOGR1')).toEqual([])
    expect(await logOf(`token_uid=${pseudonym}`)).toMatchObject([{ token: { ...remoteEmsp, uid: pseudonym }, reason: 'BLOCKED' }, { authorization_reference: 'REF-LOG-1' }])
    // Another token of the same owner is left alone.
    expect(await logOf('token_uid=LOGW1')).toHaveLength(1)
  })
})
