import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { policyChangeJobId, applySharingPolicy } from '../../src/modules/locations/policy-change'
import { MAX_ATTEMPTS } from '../../src/objects/background-job'
import { finishJob, jobStub } from '../jobs/fixtures'
import { hostCpo, putOwn, sampleLocation, uniqueParty } from '../modules/locations/fixtures'
import { adminFetch, db, registeredPeer } from '../ocpi/fixtures'
import { fakePeer } from '../push/fixtures'

// The BackgroundJob Durable Object: bounded chunks per alarm, progress kept between them, retries with backoff,
// cancel, and what GET /admin/v1/jobs/{job_id} shows. Alarms are forced with runDurableObjectAlarm.

const SENDER = 'https://cpo.example.com/ocpi/2.3.0/sender/locations'
const location = (id: string) => ({ ...sampleLocation({ country_code: 'NL', party_id: 'CPO' }, id), country_code: 'NL', party_id: 'CPO' })
const page = (ids: string[], next?: string) =>
  Response.json({ data: ids.map(location), status_code: 1000, timestamp: new Date().toISOString() }, { headers: next ? { Link: `<${next}>; rel="next"` } : {} })
const refused = () => Response.json({ data: null, status_code: 3000, status_message: 'Backend down', timestamp: new Date().toISOString() })

async function cpoPeer() {
  return registeredPeer({
    roles: [{ role: 'CPO', country_code: 'NL', party_id: 'CPO', business_details: { name: 'CPO' } }],
    fields: { endpoints: [{ identifier: 'locations', role: 'SENDER', url: SENDER }] },
  })
}

async function startSync(peerId: string) {
  const response = await adminFetch(`/locations/sync/${peerId}`, { method: 'POST', body: {} })
  expect(response.status).toBe(202)
  return (await response.json<any>()).job_id as string
}

let restore: (() => void) | undefined
afterEach(() => {
  restore?.()
  restore = undefined
})

describe('BackgroundJob', () => {
  it('works in chunks, one per alarm, keeping progress between them', async () => {
    const cpo = uniqueParty()
    await hostCpo(cpo)
    for (const id of ['C1', 'C2', 'C3', 'C4', 'C5']) await putOwn(sampleLocation(cpo, id))
    await registeredPeer() // an eMSP that loses sight of every location below
    const { stored, job } = await applySharingPolicy(env, db(), cpo, { default: 'none' }, new Date(), 2)
    expect(job).toMatchObject({ job_id: policyChangeJobId(cpo, stored.version), kind: 'locations.policy-change', status: 'RUNNING' })

    await runDurableObjectAlarm(jobStub(job.job_id))
    const midway = (await jobStub(job.job_id).status())!
    expect(midway.steps).toBeGreaterThanOrEqual(1)
    expect(midway.progress.locations_scanned).toBe(Math.min(5, midway.steps * 2))

    const done = await finishJob(job.job_id)
    // 2 + 2 + 1: the short chunk says there is no more.
    expect(done).toMatchObject({ status: 'DONE', steps: 3, attempts: 0, progress: { locations_scanned: 5, changed_locations: 5 }, finished_at: expect.any(String) })
  })

  it('retries a failed chunk with backoff and shows the error meanwhile', async () => {
    const fake = fakePeer((_request, index) => (index === 0 ? refused() : page(['R1', 'R2'])))
    restore = fake.restore
    const peer = await cpoPeer()
    const jobId = await startSync(peer.id)
    await runDurableObjectAlarm(jobStub(jobId))
    await vi.waitFor(async () => expect((await jobStub(jobId).status())!.attempts + (await jobStub(jobId).status())!.steps).toBeGreaterThan(0))
    const failed = (await jobStub(jobId).status())!
    if (failed.status === 'RUNNING') {
      expect(failed).toMatchObject({ attempts: 1, steps: 0, last_error: expect.stringContaining('3000') })
      expect(Date.parse(failed.next_attempt_at!)).toBeGreaterThan(Date.parse(failed.updated_at) - 1)
    }
    const done = await finishJob(jobId)
    expect(done).toMatchObject({ status: 'DONE', steps: 1, attempts: 0, progress: { pages: 1, received: 2, stored: 2 } })
    expect(fake.received).toHaveLength(2)
  })

  it('gives up as FAILED after repeated failures, keeping the last error', async () => {
    const fake = fakePeer(() => refused())
    restore = fake.restore
    const peer = await cpoPeer()
    const jobId = await startSync(peer.id)
    const failed = await finishJob(jobId)
    expect(failed).toMatchObject({ status: 'FAILED', attempts: MAX_ATTEMPTS, steps: 0, last_error: expect.stringContaining('Backend down'), next_attempt_at: null })
    expect(await runDurableObjectAlarm(jobStub(jobId))).toBe(false)
  })

  it('stops a cancelled job after its current chunk', async () => {
    const fake = fakePeer((request) => page([`X${new URL(request.url).searchParams.get('offset') ?? 0}`], `${SENDER}?offset=${Number(new URL(request.url).searchParams.get('offset') ?? 0) + 1}`))
    restore = fake.restore
    const peer = await cpoPeer()
    const jobId = await startSync(peer.id)
    await runDurableObjectAlarm(jobStub(jobId))
    const cancelled = await adminFetch(`/jobs/${jobId}/cancel`, { method: 'POST' })
    expect(cancelled.status).toBe(200)
    const view = await cancelled.json<any>()
    expect(view).toMatchObject({ status: 'CANCELLED', finished_at: expect.any(String) })
    expect(await runDurableObjectAlarm(jobStub(jobId))).toBe(false)
    expect((await jobStub(jobId).status())!).toMatchObject({ status: 'CANCELLED', steps: view.steps })
  })

  it('is watched through GET /admin/v1/jobs/{job_id}; unknown ids are 404', async () => {
    restore = fakePeer(() => page(['W1'])).restore
    const jobId = await startSync((await cpoPeer()).id)
    await finishJob(jobId)
    const response = await adminFetch(`/jobs/${jobId}`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ job_id: jobId, kind: 'locations.sync', status: 'DONE', progress: { pages: 1, stored: 1 }, started_at: expect.any(String) })
    expect((await adminFetch('/jobs/no-such-job')).status).toBe(404)
  })

  it('a policy change that supersedes an unfinished one takes over what peers may still see', async () => {
    const cpo = uniqueParty()
    await hostCpo(cpo)
    for (const id of ['S1', 'S2', 'S3']) await putOwn(sampleLocation(cpo, id))
    const first = await applySharingPolicy(env, db(), cpo, { default: 'none' }, new Date(), 1)
    const second = await applySharingPolicy(env, db(), cpo, { default: 'all', roles: { NAP: 'none' } }, new Date(), 1)
    const superseded = (await jobStub(first.job.job_id).status())!
    if (superseded.status !== 'DONE') {
      expect(superseded.status).toBe('CANCELLED')
      expect(((await jobStub(second.job.job_id).state()) as any).before).toEqual([null, { default: 'none' }])
    }
    expect(await finishJob(second.job.job_id)).toMatchObject({ status: 'DONE', progress: { locations_scanned: 3, policy_version: 2 } })
  })
})
