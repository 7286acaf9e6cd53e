import { env } from 'cloudflare:workers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import cdrExample from '../../fixtures/spec/2.3.0/examples/cdr_example.json'
import sessionExample from '../../fixtures/spec/2.3.0/examples/session_example_2_short_finished.json'
import tokenExample from '../../fixtures/spec/2.3.0/examples/token_example_2_full_rfid.json'
import { auditEntry } from '../../../src/db/batch'
import { database } from '../../../src/db/client'
import { auditLog } from '../../../src/db/schema'
import { CDR } from '../../../src/ocpi/objects/cdr'
import { getOwnCdr, insertOwnCdr } from '../../../src/modules/cdrs/store'
import { Session } from '../../../src/ocpi/objects/session'
import { getOwnSession, putOwnSession } from '../../../src/modules/sessions/store'
import { Token } from '../../../src/ocpi/objects/token'
import { getReceivedToken, putReceivedToken } from '../../../src/modules/tokens/store'
import { replaceIdentifiers } from '../../../src/modules/x-gdpr/holders'
import { pseudonymOf } from '../../../src/modules/x-gdpr/pseudonym'
import { replaceIdentifierValues } from '../../../src/modules/x-gdpr/replace-values'
import { peerOutbox } from '../../../src/push/publish'
import { ocpiCall, peerRepresenting, type TestPeer } from '../authenticated-peer'
import { present } from '../../present'

const db = database(env.DB)
const gdpr = (peer: TestPeer, method: string, path: string, body?: unknown) => ocpiCall(peer, method, `receiver/x-gdpr/${path}`, body)

const party = { country_code: 'DE', party_id: 'GDP' }
const uid = 'GDPR0001'
const token = Token.parse({ ...tokenExample, ...party, uid })
const session = Session.parse({ ...sessionExample, id: 'GDPR-S1', cdr_token: { ...sessionExample.cdr_token, ...party, uid, contract_id: token.contract_id } })
const cdr = CDR.parse({ ...cdrExample, id: 'GDPR-C1', session_id: 'GDPR-S1', cdr_token: { ...cdrExample.cdr_token, ...party, uid, contract_id: token.contract_id } })

describe('x-gdpr receiver (CPO side)', () => {
  let owner: TestPeer
  let stranger: TestPeer
  let exportUrl: string

  beforeAll(async () => {
    owner = await peerRepresenting([party], [], ['x-gdpr'])
    stranger = await peerRepresenting([{ country_code: 'NL', party_id: 'OTH' }], [], ['x-gdpr'])
    await putReceivedToken(db, owner.id, token)
    await putOwnSession(db, session)
    await insertOwnCdr(db, cdr)
    // A CDR push still queued for the eMSP (this test peer has no endpoint: it stays queued).
    await peerOutbox(env, owner.id).enqueue({ module: 'cdrs', method: 'POST', path: [], bodies: { '2.3.0': cdr }, from: { country_code: cdr.country_code, party_id: cdr.party_id }, objectKey: 'cdrs/GDPR-C1' }, party)
    await auditEntry(db, { actor: 'system', action: 'tokens.authorized', subject: `token:DE*GDP*RFID*${uid}`, detail: { uid, contract_id: token.contract_id, allowed: 'ALLOWED' } })
  })

  afterAll(() => peerOutbox(env, owner.id).purge())

  it('refuses a peer asking about another party\'s token with 2001, before looking anything up', async () => {
    const response = await gdpr(stranger, 'POST', `DE/GDP/${uid}/access`)
    const body = await response.json<{ status_code: number; data?: unknown }>()
    expect(body.status_code).toBe(2001)
    expect(JSON.stringify(body)).not.toContain(token.contract_id)
  })

  it('is an unknown endpoint (404, before looking anything up) to the owner\'s peer without an x-gdpr agreement', async () => {
    const unagreed = await peerRepresenting([party])
    const response = await gdpr(unagreed, 'POST', `DE/GDP/${uid}/access`)
    expect(response.status).toBe(404)
    const body = await response.json<{ status_code: number; data?: unknown }>()
    expect(body.status_code).toBe(2000)
    expect(JSON.stringify(body)).not.toContain(token.contract_id)
  })

  it('exports everything held about the token and keeps the export retrievable', async () => {
    const response = await gdpr(owner, 'POST', `DE/GDP/${uid}/access`, { request_id: 'REQ-1' })
    const body = await response.json<{ status_code: number; data: any }>()
    expect(body.status_code).toBe(1000)
    expect(body.data).toMatchObject({ request_id: 'REQ-1', subject: { ...party, uid } })
    expect(body.data.records.tokens).toEqual([token])
    expect(body.data.records.sessions).toEqual([session])
    expect(body.data.records.cdrs).toEqual([cdr])
    expect(body.data.records.audit_log).toHaveLength(1)
    exportUrl = body.data.url
    expect(exportUrl).toMatch(/\/ocpi\/2\.3\.0\/receiver\/x-gdpr\/exports\//)

    const again = await (await gdpr(owner, 'GET', `exports/${body.data.export_id}`)).json<{ data: any }>()
    expect(again.data).toEqual(body.data)
    const stolen = await gdpr(stranger, 'GET', `exports/${body.data.export_id}`)
    expect(stolen.status).toBe(404)
    expect((await stolen.json<{ status_code: number }>()).status_code).toBe(2003)
  })

  it('forgets the token everywhere: cache removed, sessions and CDRs pseudonymized, exports deleted, audit cleaned', async () => {
    const pseudonym = await pseudonymOf(env.GDPR_PSEUDONYM_KEY, { ...party, uid })
    const response = await gdpr(owner, 'POST', `DE/GDP/${uid}/forget`)
    const body = await response.json<{ status_code: number; data: any }>()
    expect(body.status_code).toBe(1000)
    expect(body.data.pseudonym).toBe(pseudonym)
    expect(body.data.erased).toMatchObject({ tokens: 1, sessions: 1, cdrs: 1, exports: 1, outbox: 1, audit_log: 1 })

    expect(await getReceivedToken(db, { ...party, uid, type: 'RFID' })).toBeUndefined()
    const keptSession = await getOwnSession(db, session)
    expect(keptSession?.session.cdr_token).toMatchObject({ uid: pseudonym, contract_id: pseudonym })
    const keptCdr = await getOwnCdr(db, cdr)
    expect(keptCdr?.cdr.cdr_token).toMatchObject({ uid: pseudonym, contract_id: pseudonym })
    expect(keptCdr?.cdr.total_cost).toEqual(cdr.total_cost)

    const entries = await db.select().from(auditLog)
    const text = JSON.stringify(entries)
    expect(text).not.toContain(uid)
    expect(text).not.toContain(token.contract_id)
    expect(entries.filter((entry) => entry.subject === `gdpr:${pseudonym}`).map((entry) => entry.action)).toEqual(expect.arrayContaining(['gdpr.access', 'gdpr.forget']))

    const exportGone = await gdpr(owner, 'GET', present(exportUrl.split('/x-gdpr/')[1], 'the export path'))
    expect(exportGone.status).toBe(404)
    expect((await env.BUNDLES.list({ prefix: `exports/gdpr/${pseudonym}/` })).objects).toHaveLength(0)
  })

  it('answers a second access request with nothing personal', async () => {
    const body = await (await gdpr(owner, 'POST', `DE/GDP/${uid}/access`)).json<{ data: any }>()
    for (const records of Object.values(body.data.records)) expect(records).toEqual([])
  })

  it('validates the token reference (2001 with the field path)', async () => {
    const body = await (await gdpr(owner, 'POST', `DE/GDP/${'X'.repeat(37)}/access`)).json<{ status_code: number; data: any }>()
    expect(body.status_code).toBe(2001)
    expect(body.data).toEqual({ path: 'uid' })
  })
})

describe('x-gdpr receiver, a uid other eMSPs issued too', () => {
  it('finds and forgets the asking party\'s token however many newer tokens of other parties share its uid', async () => {
    const sharedUid = 'GDPRSHARED01'
    const asking = { country_code: 'DE', party_id: 'GDS' }
    const peer = await peerRepresenting([asking], [], ['x-gdpr'])
    const others = await peerRepresenting([{ country_code: 'NL', party_id: 'OTS' }])
    await putReceivedToken(db, peer.id, Token.parse({ ...tokenExample, ...asking, uid: sharedUid, last_updated: '2020-01-01T00:00:00Z' }))
    const otherParties = Array.from({ length: 11 }, (_, index) => ({ country_code: 'NL', party_id: `S${String(index).padStart(2, '0')}` }))
    for (const other of otherParties) await putReceivedToken(db, others.id, Token.parse({ ...tokenExample, ...other, uid: sharedUid, last_updated: '2024-01-01T00:00:00Z' }))

    const access = await (await gdpr(peer, 'POST', `DE/GDS/${sharedUid}/access`)).json<{ data: any }>()
    expect(access.data.records.tokens).toMatchObject([{ ...asking, uid: sharedUid }])
    const forget = await (await gdpr(peer, 'POST', `DE/GDS/${sharedUid}/forget`)).json<{ status_code: number; data: any }>()
    expect(forget.status_code).toBe(1000)
    expect(forget.data.erased.tokens).toBe(1)
    expect(await getReceivedToken(db, { ...asking, uid: sharedUid, type: 'RFID' })).toBeUndefined()
    for (const other of otherParties) expect(await getReceivedToken(db, { ...other, uid: sharedUid, type: 'RFID' })).toBeDefined()
  })
})

describe('replaceIdentifierValues', () => {
  it('replaces whole string values at any depth, in any case, and counts them', () => {
    const { value, replaced } = replaceIdentifierValues({ path: ['DE', 'GDP', 'ab1'], body: { cdr_token: { uid: 'AB1', note: 'xab1' } } }, ['AB1'], 'P')
    expect(value).toEqual({ path: ['DE', 'GDP', 'P'], body: { cdr_token: { uid: 'P', note: 'xab1' } } })
    expect(replaced).toBe(2)
  })
})

describe('replaceIdentifiers', () => {
  const scope = { identifiers: ['AB1'], pseudonym: 'GDPR-X' }
  it('replaces whole values and last subject segments in any case, nothing inside other words', () => {
    expect(replaceIdentifiers('token:DE*GDP*RFID*ab1', scope)).toBe('token:DE*GDP*RFID*GDPR-X')
    expect(replaceIdentifiers('{"uid":"AB1","note":"XAB1Y"}', scope)).toBe('{"uid":"GDPR-X","note":"XAB1Y"}')
  })
})
