import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { invalidatePushPeers, peerOutbox } from '../../../src/push/publish'
import { finishJob } from '../../jobs/fixtures'
import { adminFetch } from '../../ocpi/fixtures'
import { fakePeer, insertPeer, purgeTestOutboxes, type ReceivedPush } from '../../push/fixtures'
import { hostCpo, putOwn, sampleLocation, uniqueParty } from './fixtures'
import { present } from '../../present'

// What each peer is pushed when owner writes, policy changes and charge point migration meet the sharing policy.

let restore: (() => void) | undefined
afterEach(async () => {
  await purgeTestOutboxes()
  restore?.()
})

const seen = new Set<string>()

/**
 * Delivers everything queued for the peer and returns what reached it that it had not received before: the outbox's
 * own alarm may race the forced runs here and deliver a push twice, which OCPI's idempotent PUT/PATCH allow.
 */
async function deliveredTo(peerId: string, received: ReceivedPush[], host: string) {
  const outbox = peerOutbox(env, peerId)
  for (let runs = 0; runs < 20 && (await runDurableObjectAlarm(outbox)); runs++);
  const fresh: ReceivedPush[] = []
  for (const push of received.filter((candidate) => new URL(candidate.url).host === host)) {
    const identity = `${push.method} ${push.url} ${JSON.stringify(push.body)}`
    if (seen.has(identity)) continue
    seen.add(identity)
    fresh.push(push)
  }
  return fresh
}

describe('pushing owner writes under a sharing policy', () => {
  const cpo = uniqueParty()
  beforeAll(() => hostCpo(cpo))

  it('pushes each peer what its visibility before and after the write calls for', async () => {
    const fake = fakePeer()
    restore = fake.restore
    const emsp = await insertPeer({ baseUrl: 'https://emsp.example.com/ocpi/2.3.0' })
    const nap = await insertPeer({ baseUrl: 'https://nap.example.com/ocpi/2.2.1', version: '2.2.1', roles: [{ role: 'NAP', country_code: 'NL', party_id: 'NAP', business_details: { name: 'NAP' } }] })
    invalidatePushPeers()
    await finishJob((await (await adminFetch(`/policies/${cpo.country_code}/${cpo.party_id}`, { method: 'PUT', body: { default: 'all', roles: { NAP: 'none' } } })).json<any>()).job_id)

    const location = sampleLocation(cpo, 'PUSH1', { parking_places: [{ id: 'P1', vehicle_types: ['VAN'], restricted_to_type: false, reservation_required: false }] })
    await putOwn(location)
    const toEmsp = await deliveredTo(emsp.id, fake.received, 'emsp.example.com')
    expect(toEmsp).toMatchObject([{ method: 'PUT', url: `https://emsp.example.com/ocpi/2.3.0/receiver/locations/${cpo.country_code}/${cpo.party_id}/PUSH1`, body: { id: 'PUSH1', publish: true } }])
    expect(toEmsp[0]?.headers.get('OCPI-to-party-id')).toBe('MSP')
    expect(await deliveredTo(nap.id, fake.received, 'nap.example.com')).toEqual([])

    await adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/PUSH1/PUSH1-E1`, { method: 'PATCH', body: { status: 'CHARGING' } })
    expect(await deliveredTo(emsp.id, fake.received, 'emsp.example.com')).toMatchObject([{ method: 'PATCH', url: expect.stringMatching(/\/PUSH1\/PUSH1-E1$/), body: { status: 'CHARGING' } }])

    // The NAP may now see it, the eMSP no longer: a full PUT (2.2.1 shape) to one, the withdrawn view to the other.
    const changing = await adminFetch(`/policies/${cpo.country_code}/${cpo.party_id}`, { method: 'PUT', body: { default: 'all', peers: { [emsp.id]: 'none' } } })
    expect(changing.status).toBe(202)
    const changed = await changing.json<any>()
    expect(changed).toMatchObject({ version: 2, kind: 'locations.policy-change', status_url: `/admin/v1/jobs/${changed.job_id}` })
    expect(await finishJob(changed.job_id)).toMatchObject({ status: 'DONE', progress: { locations_scanned: 1, changed_locations: 1 } })
    const toNap = await deliveredTo(nap.id, fake.received, 'nap.example.com')
    expect(toNap).toMatchObject([{ method: 'PUT', body: { id: 'PUSH1', publish: true, evses: [{ status: 'CHARGING' }] } }])
    expect(toNap[0]?.body).not.toHaveProperty('parking_places')
    const withdrawn = await deliveredTo(emsp.id, fake.received, 'emsp.example.com')
    expect(withdrawn).toMatchObject([{ method: 'PUT', body: { id: 'PUSH1', publish: false } }])
    expect(present(withdrawn[0], 'the withdrawal').body.last_updated > location.last_updated).toBe(true)

    // A policy change that changes nothing for anyone pushes nothing.
    const unchanged = await (await adminFetch(`/policies/${cpo.country_code}/${cpo.party_id}`, { method: 'PUT', body: { default: 'all', peers: { [emsp.id]: [] } } })).json<any>()
    expect((await finishJob(unchanged.job_id)).progress.changed_locations).toBe(0)
    expect(await deliveredTo(emsp.id, fake.received, 'emsp.example.com')).toEqual([])
  })

  it('moves EVSEs to another hosted CPO: REMOVED on the old location, published on the new one', async () => {
    const fake = fakePeer()
    restore = fake.restore
    const emsp = await insertPeer({ baseUrl: 'https://mover.example.com/ocpi/2.3.0' })
    invalidatePushPeers()
    const target = uniqueParty()
    await hostCpo(target)
    const location = sampleLocation(cpo, 'MOVE1')
    location.evses!.push({ ...present(location.evses?.[0], 'the EVSE'), uid: 'MOVE1-E2', evse_id: `${cpo.country_code}*${cpo.party_id}*EMOVE1*2` })
    await putOwn(location)
    await deliveredTo(emsp.id, fake.received, 'mover.example.com')

    const response = await adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/MOVE1/move`, { method: 'POST', body: { to: target, new_id: 'NEW1', evse_uids: ['move1-e2'] } })
    expect(response.status).toBe(200)
    const moved = await response.json<any>()
    expect(moved.from.evses.map((evse: any) => [evse.uid, evse.status])).toEqual([['MOVE1-E1', 'AVAILABLE'], ['MOVE1-E2', 'REMOVED']])
    expect(moved.to).toMatchObject({ party_id: target.party_id, id: 'NEW1', evses: [{ uid: 'MOVE1-E2', evse_id: `${target.country_code}*${target.party_id}*EMOVE1*2`, status: 'AVAILABLE' }] })

    const pushes = await deliveredTo(emsp.id, fake.received, 'mover.example.com')
    expect(pushes.map((push) => [push.method, new URL(push.url).pathname.split('/').slice(-3).join('/')])).toEqual([
      ['PUT', `${target.country_code}/${target.party_id}/NEW1`],
      ['PUT', `${cpo.country_code}/${cpo.party_id}/MOVE1`],
    ])

    const again = await adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/MOVE1/move`, { method: 'POST', body: { to: target, new_id: 'NEW1', evse_uids: ['MOVE1-E2'] } })
    expect(again.status).toBe(400)
    expect(await again.json()).toMatchObject({ error: { code: 2001, path: 'evse_uids.0' } })
  })
})
