import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { peers } from '../../src/db/schema'
import { refreshPeer, renewCredentials } from '../../src/peers/registration'
import { DEFAULT_TOKEN_REJECTED_AFTER_401S } from '../../src/peers/token-rejection'
import { acceptCredentialsUpdate } from '../../src/peers/accept-registration'
import { EMSP, fakePeer, insertPeer, locationChange, ocpiAnswer, purgeTestOutboxes, testOutbox, type ReceivedPush } from '../push/fixtures'
import { adminFetch, db } from '../ocpi/fixtures'

// A peer that stops accepting our token answers every push with 401: after TOKEN_REJECTED_AFTER_401S in a row the
// connection is TOKEN_REJECTED and its outbox holds, in order, until a renew or refresh succeeds.

const BASE = 'https://peer.example.com/ocpi'
const LIMIT = DEFAULT_TOKEN_REJECTED_AFTER_401S

let restoreFetch: (() => void) | undefined
afterEach(async () => {
  await purgeTestOutboxes()
  restoreFetch?.()
  restoreFetch = undefined
})

/** The peer's platform: refuses our token while `state.revoked`, else takes pushes and answers versions, details, credentials. */
function peerPlatform(state: { revoked: boolean }) {
  const peer = fakePeer((push: ReceivedPush) => {
    if (state.revoked) return ocpiAnswer(2000, 'Unknown token', 401)
    if (push.url === `${BASE}/versions`) return Response.json({ data: [{ version: '2.3.0', url: `${BASE}/2.3.0` }], status_code: 1000, timestamp: new Date().toISOString() })
    if (push.url === `${BASE}/2.3.0`) {
      return Response.json({ data: { version: '2.3.0', endpoints: [
        { identifier: 'credentials', role: 'SENDER', url: `${BASE}/2.3.0/credentials` },
        { identifier: 'locations', role: 'RECEIVER', url: `${BASE}/2.3.0/receiver/locations` },
      ] }, status_code: 1000, timestamp: new Date().toISOString() })
    }
    if (push.url === `${BASE}/2.3.0/credentials`) {
      return Response.json({ data: { token: 'new-token-we-present', url: `${BASE}/versions`, roles: [{ role: 'EMSP', ...EMSP, business_details: { name: 'MSP' } }] }, status_code: 1000, timestamp: new Date().toISOString() })
    }
    return ocpiAnswer(1000)
  })
  restoreFetch = peer.restore
  return peer.received
}

async function peerWithQueue(names: string[]) {
  const peer = await insertPeer({
    versions_url: `${BASE}/versions`, baseUrl: `${BASE}/2.3.0`,
    endpoints: [
      { identifier: 'credentials', role: 'SENDER', url: `${BASE}/2.3.0/credentials` },
      { identifier: 'locations', role: 'RECEIVER', url: `${BASE}/2.3.0/receiver/locations` },
    ],
  })
  const outbox = testOutbox(peer.id)
  for (const name of names) await outbox.enqueue(locationChange('PUT', name, { name }), EMSP)
  return { peer, outbox }
}

const peerRow = async (id: string) => (await db().select().from(peers).where(eq(peers.id, id)))[0]!
const pushedNames = (received: ReceivedPush[]) => received.filter((push) => push.method === 'PUT' && push.url.includes('/receiver/locations/')).map((push) => push.body.name)

describe('PeerOutbox: a peer that rejects our token', () => {
  it(`is TOKEN_REJECTED after ${LIMIT} consecutive 401s, holds its queue in order and shows the state to the operator`, async () => {
    const state = { revoked: true }
    const received = peerPlatform(state)
    const { peer, outbox } = await peerWithQueue(['LOC1', 'LOC2', 'LOC3'])
    for (let run = 0; run < LIMIT; run++) await runDurableObjectAlarm(outbox)
    expect(received).toHaveLength(LIMIT)
    expect(await peerRow(peer.id)).toMatchObject({ unauthorized_streak: LIMIT, token_rejected_at: expect.any(Number), status: 'CONNECTED' })

    // Paused: further runs send nothing, drop nothing.
    await runDurableObjectAlarm(outbox)
    await runDurableObjectAlarm(outbox)
    expect(received).toHaveLength(LIMIT)
    expect((await outbox.list()).map((push) => push.path[2])).toEqual(['LOC1', 'LOC2', 'LOC3'])
    expect(await outbox.stats()).toMatchObject({ depth: 3, dropped: 0, rejected: 0, last_error: expect.stringContaining('TOKEN_REJECTED') })

    const view = await (await adminFetch(`/peers/${peer.id}`)).json<Record<string, unknown>>()
    expect(view).toMatchObject({ status: 'CONNECTED', token_state: 'TOKEN_REJECTED', consecutive_401s: LIMIT, token_rejected_at: expect.any(String) })
    const list = await (await adminFetch('/peers')).json<Record<string, unknown>[]>()
    expect(list.find((entry) => entry.peer_id === peer.id)).toMatchObject({ token_state: 'TOKEN_REJECTED' })
  })

  it('counts only consecutive 401s: an accepted push in between starts the count over', async () => {
    let answers = 0
    const fake = fakePeer(() => (++answers === LIMIT ? ocpiAnswer(1000) : ocpiAnswer(2000, 'Unknown token', 401)))
    restoreFetch = fake.restore
    const { peer, outbox } = await peerWithQueue(['LOC1', 'LOC2'])
    for (let run = 0; run < 2 * LIMIT && (await outbox.stats()).delivered === 0; run++) await runDurableObjectAlarm(outbox)
    // 401 ×(LIMIT-1), then LOC1 delivered and, in the same run, a 401 for LOC2: never LIMIT in a row.
    expect(await peerRow(peer.id)).toMatchObject({ unauthorized_streak: 1, token_rejected_at: null })
    expect(await outbox.stats()).toMatchObject({ depth: 1, delivered: 1 })
  })

  it('resumes on a successful renewal and delivers the held queue in order', async () => {
    const state = { revoked: true }
    const received = peerPlatform(state)
    const { peer, outbox } = await peerWithQueue(['LOC1', 'LOC2', 'LOC3'])
    for (let run = 0; run < LIMIT; run++) await runDurableObjectAlarm(outbox)
    expect((await peerRow(peer.id)).token_rejected_at).not.toBeNull()
    await expect(renewCredentials(env, peer.id)).rejects.toThrow(/refused/) // still refused: stays paused
    expect((await peerRow(peer.id)).token_rejected_at).not.toBeNull()

    state.revoked = false
    const refusedAttempts = received.length
    const renewed = await renewCredentials(env, peer.id)
    expect(renewed).toMatchObject({ outbound_token: 'new-token-we-present', unauthorized_streak: 0, token_rejected_at: null })
    while (await runDurableObjectAlarm(outbox));
    // Each location is its own object: they may arrive in any order, each exactly once.
    expect(pushedNames(received.slice(refusedAttempts)).sort()).toEqual(['LOC1', 'LOC2', 'LOC3'])
    expect(await outbox.stats()).toMatchObject({ depth: 0, delivered: 3 })
  })

  it('resumes on a successful refresh, and on the peer updating its credentials with us', async () => {
    const state = { revoked: true }
    peerPlatform(state)
    const { peer, outbox } = await peerWithQueue(['LOC1'])
    for (let run = 0; run < LIMIT; run++) await runDurableObjectAlarm(outbox)
    state.revoked = false
    expect(await refreshPeer(env, peer.id)).toMatchObject({ status: 'CONNECTED', unauthorized_streak: 0, token_rejected_at: null })
    while (await runDurableObjectAlarm(outbox));
    expect(await outbox.stats()).toMatchObject({ depth: 0, delivered: 1 })

    state.revoked = true
    await outbox.enqueue(locationChange('PUT', 'LOC2', { name: 'LOC2' }), EMSP)
    for (let run = 0; run < LIMIT; run++) await runDurableObjectAlarm(outbox)
    expect((await peerRow(peer.id)).token_rejected_at).not.toBeNull()
    state.revoked = false
    const caller = { id: peer.id, status: 'CONNECTED' as const, tokenKind: 'C' as const, roles: peer.roles }
    await acceptCredentialsUpdate(env, db(), caller as never, '2.3.0', { token: 'rotated-by-peer', url: `${BASE}/versions`, roles: peer.roles })
    expect(await peerRow(peer.id)).toMatchObject({ outbound_token: 'rotated-by-peer', token_rejected_at: null, unauthorized_streak: 0 })
    while (await runDurableObjectAlarm(outbox));
    expect(await outbox.stats()).toMatchObject({ depth: 0, delivered: 2 })
  })
})
