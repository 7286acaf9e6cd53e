import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it } from 'vitest'
import { applySharingPolicy, policyChangeJobId } from '../../src/modules/locations/policy-change'
import { MAX_ATTEMPTS, RETENTION_MS } from '../../src/objects/background-job'
import { finishJob, jobStub } from '../jobs/fixtures'
import { hostCpo, putOwn, sampleLocation, uniqueParty } from '../modules/locations/fixtures'
import { adminFetch, db, registeredPeer } from '../ocpi/fixtures'
import { fakePeer } from '../push/fixtures'

// The BackgroundJob Durable Object: bounded chunks per alarm, progress kept between them, retries with backoff,
// cancel, and what GET /admin/v1/jobs/{job_id} shows. Alarms are forced with runDurableObjectAlarm.

const SENDER = 'https://cpo.example.com/ocpi/2.3.0/sender/locations'
const page = (ids: string[], next?: string) =>
  Response.json({ data: ids.map((id) => sampleLocation({ country_code: 'NL', party_id: 'CPO' }, id)), status_code: 1000, timestamp: new Date().toISOString() }, { headers: next ? { Link: `<${next}>; rel="next"` } : {} })
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
    // The first alarm is due at once: forced here, or already run by the runtime. Either way the page was refused.
    await runDurableObjectAlarm(jobStub(jobId))
    const failed = (await jobStub(jobId).status())!
    if (failed.steps === 0) {
      expect(failed).toMatchObject({ status: 'RUNNING', attempts: 1, last_error: expect.stringContaining('Backend down') })
      expect(Date.parse(failed.next_attempt_at!)).toBeGreaterThanOrEqual(Date.parse(failed.updated_at))
    }
    const done = await finishJob(jobId)
    // A DONE job keeps the error a retry got past.
    expect(done).toMatchObject({ status: 'DONE', steps: 1, attempts: 0, last_error: expect.stringContaining('Backend down'), progress: { pages: 1, received: 2, stored: 2 } })
    expect(fake.received).toHaveLength(2)
  })

  it('gives up as FAILED after repeated failures, keeping the last error', async () => {
    const fake = fakePeer(() => refused())
    restore = fake.restore
    const peer = await cpoPeer()
    const jobId = await startSync(peer.id)
    const failed = await finishJob(jobId)
    expect(failed).toMatchObject({ status: 'FAILED', attempts: MAX_ATTEMPTS, steps: 0, last_error: expect.stringContaining('Backend down'), next_attempt_at: null })
    await runDurableObjectAlarm(jobStub(jobId)) // the retention alarm: nothing more is tried
    expect(fake.received).toHaveLength(MAX_ATTEMPTS)
    expect(await jobStub(jobId).status()).toEqual(failed)
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
    const fetched = fake.received.length
    await runDurableObjectAlarm(jobStub(jobId))
    expect((await jobStub(jobId).status())!).toMatchObject({ status: 'CANCELLED', steps: view.steps })
    expect(fake.received).toHaveLength(fetched)
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

  it('removes a finished job once its retention has passed', async () => {
    restore = fakePeer(() => page(['G1'])).restore
    const jobId = await startSync((await cpoPeer()).id)
    await finishJob(jobId)
    await runDurableObjectAlarm(jobStub(jobId))
    expect(await jobStub(jobId).status()).toMatchObject({ status: 'DONE' })
    await runInDurableObject(jobStub(jobId), (_instance, state) => {
      state.storage.sql.exec('UPDATE job SET finished_at = ?', Date.now() - RETENTION_MS)
    })
    await runDurableObjectAlarm(jobStub(jobId))
    expect(await jobStub(jobId).status()).toBeUndefined()
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
