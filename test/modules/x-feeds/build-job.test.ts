import { env } from 'cloudflare:workers'
import { runDurableObjectAlarm } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { databaseFor } from '../../../src/db/shards'
import { locations } from '../../../src/db/schema'
import { locationRow, OWN_SOURCE } from '../../../src/modules/locations/store'
import { buildFeeds } from '../../../src/modules/x-feeds/build'
import { feedBuildJob, newFeedBuild, type FeedBuildState } from '../../../src/modules/x-feeds/build-job'
import { latestSnapshot, type FeedId } from '../../../src/modules/x-feeds/store'
import { encodeAuthorization } from '../../../src/ocpi/auth'
import { toHex } from '../../../src/ocpi/urls'
import { finishJob, jobStub } from '../../jobs/fixtures'
import { hostCpo, putOwn, sampleLocation, uniqueParty, type Party } from '../locations/fixtures'
import { ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { exports } from 'cloudflare:workers'

// A feed built as a background job in bounded chunks (docs/extensions/x-feeds.md, "Building"): 2,000 locations in
// chunks of 300, the way 300,000 are built in chunks of 1,000.

const LOCATIONS = 2000
const CHUNK = 300

const ids = Array.from({ length: LOCATIONS }, (_, index) => `L${String(index).padStart(5, '0')}`)
/** A spread of last_updated values, not in id order, so the feed's (last_updated, key) order is tested. */
const lastUpdatedOf = (index: number) => new Date(Date.UTC(2026, 0, 1) + ((index * 7919) % LOCATIONS) * 60_000).toISOString()

async function seed(party: Party) {
  const db = databaseFor(env, party)
  const rows = ids.map((id, index) => locationRow(OWN_SOURCE, sampleLocation(party, id, {}, lastUpdatedOf(index))))
  for (let start = 0; start < rows.length; start += 100) {
    await db.batch(rows.slice(start, start + 100).map((row) => db.insert(locations).values({ ...row, revision: 1 })) as [never, ...never[]])
  }
}

const expectedOrder = () => ids.map((id, index) => ({ id, at: lastUpdatedOf(index) })).sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? -1 : 1)).map(({ id }) => id)

async function gunzipText(bytes: ArrayBuffer): Promise<string> {
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text()
}

const idsOf = (ndjson: string) => ndjson.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id)

/** Runs the steps as the BackgroundJob does: the state goes through JSON between them, as it does through storage. */
async function stepUntilDone(state: FeedBuildState, maxSteps = 100): Promise<{ state: FeedBuildState; steps: number }> {
  for (let steps = 1; steps <= maxSteps; steps++) {
    const result = await feedBuildJob.step(env, JSON.parse(JSON.stringify(state)) as FeedBuildState)
    state = result.state
    if (result.done) return { state, steps }
  }
  throw new Error('the build did not finish')
}

describe('x-feeds build job', { timeout: 60_000 }, () => {
  const cpo = uniqueParty()
  const feed = (version: '2.3.0' | '2.2.1' = '2.3.0'): FeedId => ({ party: cpo, version, module: 'locations' })
  let aggregator: { id: string; token: string }

  beforeAll(async () => {
    await hostCpo(cpo)
    aggregator = await registeredPeer({ roles: [{ role: 'NAP', country_code: 'NL', party_id: 'NAP', business_details: { name: 'NAP' } }], extensions: ['x-feeds'] })
    await seed(cpo)
  }, 120_000)

  it('writes every location once, in (last_updated, id) order, one chunk per step, and reports progress', async () => {
    const builtAt = Date.UTC(2027, 0, 1)
    const { state, steps } = await stepUntilDone(newFeedBuild(feed(), 'test-1', builtAt, CHUNK))
    expect(steps).toBe(Math.ceil(LOCATIONS / CHUNK))
    expect(feedBuildJob.progress(state)).toMatchObject({ objects: LOCATIONS, chunks: steps })

    const snapshot = await latestSnapshot(databaseFor(env), feed())
    expect(snapshot).toMatchObject({ built_at: builtAt, object_count: LOCATIONS, fingerprint: 'test-1' })
    const object = await env.BUNDLES.get(snapshot!.r2_key)
    const bytes = await object!.arrayBuffer()
    expect(bytes.byteLength).toBe(snapshot!.size)
    const text = await gunzipText(bytes)
    expect(idsOf(text)).toEqual(expectedOrder())
    expect(snapshot!.sha256).toBe(toHex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))))
    // Nothing but the snapshot is left in R2: the buffers between chunks are gone.
    const stored = await env.BUNDLES.list({ prefix: `feeds/${cpo.country_code}/${cpo.party_id}/2.3.0/locations/${builtAt}` })
    expect(stored.objects.map((stored) => stored.key)).toEqual([snapshot!.r2_key])
  })

  it('resumes after a step that failed half way, and after one repeated from its saved state', async () => {
    const builtAt = Date.UTC(2027, 0, 2)
    let state = newFeedBuild(feed('2.2.1'), 'test-2', builtAt, CHUNK)
    state = (await feedBuildJob.step(env, state)).state
    // A crash after the step's writes but before its state was saved: the same state runs again.
    const repeated = (await feedBuildJob.step(env, JSON.parse(JSON.stringify(state)))).state
    state = (await feedBuildJob.step(env, JSON.parse(JSON.stringify(state)))).state
    expect(state).toEqual({ ...repeated, step_ms: state.step_ms })
    // A crash in the middle of a step: R2 fails the buffer write once; the step throws and is retried unchanged.
    let failures = 1
    const flaky = { ...env, BUNDLES: new Proxy(env.BUNDLES, {
      get(bucket, name) {
        if (name === 'put' && failures-- > 0) return () => Promise.reject(new Error('R2 is briefly unavailable'))
        const value = Reflect.get(bucket, name) as unknown
        return typeof value === 'function' ? value.bind(bucket) : value
      },
    }) }
    await expect(feedBuildJob.step(flaky, JSON.parse(JSON.stringify(state)))).rejects.toThrow(/briefly unavailable/)
    const { state: finished } = await stepUntilDone(state)
    expect(finished.object_count).toBe(LOCATIONS)

    const snapshot = await latestSnapshot(databaseFor(env), feed('2.2.1'))
    const text = await gunzipText(await (await env.BUNDLES.get(snapshot!.r2_key))!.arrayBuffer())
    expect(idsOf(text)).toEqual(expectedOrder())
  })

  it('runs on the BackgroundJob from the cron\'s start, and readers see the previous feed until the switch', async () => {
    const download = async () => {
      const response = await exports.default.fetch(`http://localhost/ocpi/2.3.0/sender/x-feeds/${cpo.country_code}/${cpo.party_id}/locations`, {
        headers: { Authorization: encodeAuthorization(aggregator.token) }, encodeResponseBody: 'manual',
      })
      expect(response.status).toBe(200)
      return idsOf(await gunzipText(await response.arrayBuffer()))
    }
    const before = await download()
    await putOwn(sampleLocation(cpo, 'ZNEW', {}, '2026-12-31T00:00:00Z'))
    const outcome = (await buildFeeds(env, Date.now(), { chunkSize: CHUNK })).find((candidate) => candidate.feed.party.party_id === cpo.party_id && candidate.feed.version === '2.3.0' && candidate.feed.module === 'locations')
    expect(outcome?.status).toBe('started')
    const jobId = outcome!.job!.job_id

    for (let alarm = 0; alarm < 3; alarm++) await runDurableObjectAlarm(jobStub(jobId))
    const running = await jobStub(jobId).status()
    expect(running).toMatchObject({ status: 'RUNNING', progress: { objects: 3 * CHUNK, chunks: 3 } })
    expect(await download()).toEqual(before)
    const list = await (await ocpiFetch('/ocpi/2.3.0/sender/x-feeds', { token: aggregator.token })).json<OcpiBody>()
    expect(list.data.find((candidate: { party_id: string; module: string }) => candidate.party_id === cpo.party_id && candidate.module === 'locations')).toMatchObject({ object_count: LOCATIONS })

    // Started again (the next cron run) while it runs: the same job, not a second build.
    const again = (await buildFeeds(env, Date.now(), { chunkSize: CHUNK })).find((candidate) => candidate.feed.party.party_id === cpo.party_id && candidate.feed.version === '2.3.0' && candidate.feed.module === 'locations')
    expect(again?.job?.job_id).toBe(jobId)

    expect(await finishJob(jobId)).toMatchObject({ status: 'DONE', progress: { objects: LOCATIONS + 1 } })
    expect(await download()).toEqual([...expectedOrder(), 'ZNEW'])
  }, 60_000)

  it('writes a feed without objects as a valid empty gzip', async () => {
    const empty = uniqueParty()
    const { state } = await stepUntilDone(newFeedBuild({ party: empty, version: '2.3.0', module: 'locations' }, 'empty', Date.UTC(2027, 0, 3), CHUNK))
    const snapshot = await latestSnapshot(databaseFor(env), { party: empty, version: '2.3.0', module: 'locations' })
    expect(snapshot).toMatchObject({ object_count: 0, size: state.size, sha256: toHex(await crypto.subtle.digest('SHA-256', new Uint8Array())) })
    expect(await gunzipText(await (await env.BUNDLES.get(snapshot!.r2_key))!.arrayBuffer())).toBe('')
  })
})
