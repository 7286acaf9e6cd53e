import { env } from 'cloudflare:workers'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { invalidatePushPeers, peerOutbox, publish, publishTo } from '../../src/push/publish'
import type { Peer } from '../../src/peers/store'
import { EMSP, insertPeer, locationChange, purgeTestOutboxes, uniqueId } from './fixtures'

const OTHER = { country_code: 'BE', party_id: 'OTH' }

beforeEach(() => invalidatePushPeers())
afterEach(() => purgeTestOutboxes())

describe('publish', () => {
  it('queues a change for every connected or offline peer with a receiver, a body in its version and a place in the audience', async () => {
    const receiving = await insertPeer()
    const onOlderVersion = await insertPeer({ version: '2.2.1' })
    const withoutLocationsReceiver = await insertPeer({ endpoints: [{ identifier: 'locations', role: 'SENDER', url: 'https://peer.example.com/locations' }] })
    const pending = await insertPeer({ status: 'PENDING' })
    const suspended = await insertPeer({ status: 'SUSPENDED' })
    const outsideAudience = await insertPeer()
    const offline = await insertPeer({ status: 'OFFLINE' })
    const mine = new Set([receiving, onOlderVersion, withoutLocationsReceiver, pending, suspended, outsideAudience, offline].map((peer) => peer.id))

    const change = { ...locationChange('PUT', uniqueId('LOC'), { name: 'x' }), bodies: { '2.3.0': { name: 'x' } } }
    const audience = (peer: Peer) => (peer.id === outsideAudience.id ? undefined : peer.id === receiving.id ? EMSP : OTHER)
    const recipients = (await publish(env, change, audience)).filter((id) => mine.has(id))

    expect(recipients.sort()).toEqual([receiving.id, offline.id].sort())
    expect(await peerOutbox(env, receiving.id).list()).toMatchObject([{ method: 'PUT', path: change.path, to: EMSP }])
    for (const skipped of [onOlderVersion, withoutLocationsReceiver, pending, suspended, outsideAudience]) {
      expect((await peerOutbox(env, skipped.id).stats()).depth).toBe(0)
    }
  })

  it('waits for an asynchronous audience, and addresses each peer as it says', async () => {
    const first = await insertPeer()
    const second = await insertPeer()
    const change = locationChange('PATCH', uniqueId('LOC'), { name: 'y' })
    const audience = async (peer: Peer) => (peer.id === first.id ? EMSP : peer.id === second.id ? OTHER : undefined)
    expect((await publish(env, change, audience)).sort()).toEqual([first.id, second.id].sort())
    expect(await peerOutbox(env, first.id).list()).toMatchObject([{ to: EMSP }])
    expect(await peerOutbox(env, second.id).list()).toMatchObject([{ to: OTHER }])
  })

  it('sees a peer connected since the last publish once the cache is invalidated', async () => {
    const audience = (peer: Peer) => (peer.id.startsWith('late') ? EMSP : undefined)
    await publish(env, locationChange('PUT', uniqueId('LOC')), audience)
    const late = await insertPeer({ id: uniqueId('late') })
    invalidatePushPeers()
    expect(await publish(env, locationChange('PUT', uniqueId('LOC')), audience)).toEqual([late.id])
  })
})

describe('publishTo', () => {
  it('queues a change for one peer, addressed as given', async () => {
    const peer = await insertPeer()
    await publishTo(env, peer.id, locationChange('PUT', 'LOC1'), OTHER)
    expect(await peerOutbox(env, peer.id).list()).toMatchObject([{ path: ['NL', 'CPO', 'LOC1'], to: OTHER }])
  })
})
