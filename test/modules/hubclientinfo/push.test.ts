import { runDurableObjectAlarm } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import { env } from 'cloudflare:workers'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runBatch } from '../../../src/db/batch'
import { parties, peers } from '../../../src/db/schema'
import { pushClientInfoChanges } from '../../../src/modules/hubclientinfo/push'
import { ownClientInfoStatements } from '../../../src/peers/client-info-store'
import { invalidateHostedParties } from '../../../src/peers/parties'
import { invalidatePushPeers, peerOutbox } from '../../../src/push/publish'
import { adminFetch, db } from '../../ocpi/fixtures'
import { CPO, EMSP, fakePeer, insertPeer, purgeTestOutboxes } from '../../push/fixtures'
import { holdingPeer } from '../tariffs/fixtures'
import { present } from '../../present'
import { uniquePartyId } from '../../party-ids'

afterEach(() => purgeTestOutboxes())

const partyId = () => uniquePartyId()

describe('PushChange.routingHeaders: false', () => {
  it('is delivered without OCPI-from/OCPI-to headers (transport_and_format: Hub Client Info is not routed)', async () => {
    const peer = fakePeer()
    const base = 'https://hubbed.example.com/ocpi/2.3.0'
    const target = await insertPeer({ endpoints: [{ identifier: 'hubclientinfo', role: 'RECEIVER', url: `${base}/receiver/hubclientinfo` }] })
    try {
      const outbox = peerOutbox(env, target.id)
      const clientInfo = { country_code: 'NL', party_id: 'CPO', role: 'CPO', status: 'OFFLINE', last_updated: '2026-03-01T10:00:00Z' }
      await outbox.enqueue({ module: 'hubclientinfo', method: 'PUT', path: ['NL', 'CPO'], bodies: { '2.3.0': clientInfo }, from: CPO, routingHeaders: false, objectKey: 'hubclientinfo/NL/CPO/CPO' }, EMSP)
      expect(await runDurableObjectAlarm(outbox)).toBe(true)
      expect(peer.received).toHaveLength(1)
      const push = present(peer.received[0], 'the push')
      expect(push.url).toBe(`${base}/receiver/hubclientinfo/NL/CPO`)
      expect(push.body).toEqual(clientInfo)
      for (const header of ['OCPI-from-country-code', 'OCPI-from-party-id', 'OCPI-to-country-code', 'OCPI-to-party-id']) expect(push.headers.get(header)).toBeNull()
      expect(push.headers.get('Authorization')).toMatch(/^Token /)
    } finally {
      peer.restore()
      // Gone before the next tests publish: nothing may try to reach its (fake) host for real.
      await db().delete(peers).where(eq(peers.id, target.id))
      invalidatePushPeers()
    }
  })
})

describe('a hosted HUB pushes ClientInfo changes to its connected peers', () => {
  const subject = { role: 'CPO' as const, country_code: 'BE', party_id: partyId() }
  let listener: Awaited<ReturnType<typeof holdingPeer>>
  let described: Awaited<ReturnType<typeof holdingPeer>>

  beforeAll(async () => {
    const hosted = await adminFetch('/parties', { method: 'POST', body: { country_code: 'NL', party_id: partyId(), role: 'HUB', business_details: { name: 'Test hub' } } })
    expect(hosted.status).toBe(201)
    listener = await holdingPeer({ roles: [{ role: 'EMSP', country_code: 'DE', party_id: partyId() }], receivers: ['hubclientinfo'] })
    described = await holdingPeer({ roles: [subject], receivers: ['hubclientinfo'] })
    await pushClientInfoChanges(env) // whatever earlier writes queued
  })

  const setStatus = (status: 'CONNECTED' | 'OFFLINE', at: number) => runBatch(db(), ownClientInfoStatements(db(), [subject], status, at))
  const pushedAbout = async (peer: typeof listener) =>
    (await peer.queued()).filter((push) => push.module === 'hubclientinfo' && push.path[1] === subject.party_id).map((push) => `${push.method} ${push.path.join('/')}`)

  it('pushes a new status as PUT {country_code}/{party_id}, to every peer but the one it is about', async () => {
    await setStatus('CONNECTED', Date.parse('2026-03-01T10:00:00Z'))
    expect(await pushClientInfoChanges(env)).toBe(1)
    expect(await pushedAbout(listener)).toEqual([`PUT BE/${subject.party_id}`])
    expect(await pushedAbout(described)).toEqual([])
  })

  it('queues consecutive changes as one, the latest version winning', async () => {
    await setStatus('OFFLINE', Date.parse('2026-03-01T10:30:00Z'))
    await setStatus('CONNECTED', Date.parse('2026-03-01T10:40:00Z'))
    expect(await pushClientInfoChanges(env)).toBe(1)
  })

  it('pushes again only when the status changes, not when our own write merely refreshes last_updated', async () => {
    await setStatus('CONNECTED', Date.parse('2026-03-01T11:00:00Z'))
    expect(await pushClientInfoChanges(env)).toBe(0)
    await setStatus('OFFLINE', Date.parse('2026-03-01T12:00:00Z'))
    expect(await pushClientInfoChanges(env)).toBe(1)
    // The queued PUT superseded the undelivered one with the same object key: the listener gets the latest status.
    const queued = (await listener.queued()).filter((push) => push.path[1] === subject.party_id)
    expect(queued).toHaveLength(1)
  })

  it('pushes right after a management write changed a status, without waiting for the cron job', async () => {
    const cpo = { country_code: 'BE', party_id: partyId() }
    const hosted = await adminFetch('/parties', { method: 'POST', body: { ...cpo, role: 'CPO', business_details: { name: 'New CPO' } } })
    expect(hosted.status).toBe(201)
    await expect.poll(async () => (await listener.queued()).filter((push) => push.path[1] === cpo.party_id).map((push) => push.object_key))
      .toEqual([`hubclientinfo/BE/${cpo.party_id}/CPO`])
  })

  it('without a hosted HUB, empties the queue and pushes nothing', async () => {
    await db().delete(parties).where(eq(parties.role, 'HUB'))
    invalidateHostedParties()
    await listener.purge()
    await setStatus('CONNECTED', Date.parse('2026-03-01T13:00:00Z'))
    expect(await pushClientInfoChanges(env)).toBe(1)
    expect(await pushClientInfoChanges(env)).toBe(0)
    expect(await pushedAbout(listener)).toEqual([])
  })
})
