import { env, exports } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { scheduledJobs } from '../../../src/app/cron'
import { putPolicy } from '../../../src/modules/locations/policy-store'
import type { Location } from '../../../src/ocpi/objects/location'
import { setPeerAcceptsNonIsoCurrencies } from '../../../src/modules/tariffs/store'
import { encodeAuthorization } from '../../../src/ocpi/auth'
import { adminFetch, db, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { hostCpo, putOwn, sampleLocation, uniqueParty, type Party } from '../locations/fixtures'
import { present } from '../../present'
import { finishJob } from '../../jobs/fixtures'
import { tariffBody } from '../tariffs/fixtures'

// docs/extensions/x-feeds.md: snapshots of a CPO's locations and tariffs as gzip NDJSON in R2, for peers agreed to x-feeds.

const to = (party: Party) => ({ 'OCPI-to-country-code': party.country_code, 'OCPI-to-party-id': party.party_id })

async function gunzipLines(body: ReadableStream<Uint8Array> | ArrayBuffer): Promise<string[]> {
  const stream = body instanceof ArrayBuffer ? new Blob([body]).stream() : body
  const text = await new Response(stream.pipeThrough(new DecompressionStream('gzip'))).text()
  expect(text.endsWith('\n') || text === '').toBe(true)
  return text.split('\n').filter((line) => line !== '')
}

const sha256 = async (text: string) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))].map((byte) => byte.toString(16).padStart(2, '0')).join('')

/** A download as sent: fetch() would otherwise decode the gzip body (Content-Encoding) before the test sees it. */
const rawDownload = (path: string, token: string) =>
  exports.default.fetch(`http://localhost${path}`, { headers: { Authorization: encodeAuthorization(token) }, encodeResponseBody: 'manual' })

/** Every page of a Sender list, following Link. */
async function pullAll(path: string, token: string, headers: Record<string, string>) {
  const objects: unknown[] = []
  let next: string | undefined = path
  while (next) {
    const response = await ocpiFetch(next, { token, headers })
    const body = await response.json<OcpiBody>()
    expect(body.status_code).toBe(1000)
    objects.push(...body.data)
    const link = /<([^>]+)>/.exec(response.headers.get('Link') ?? '')?.[1]
    next = link && new URL(link).pathname + new URL(link).search
  }
  return objects
}

/** Starts the builds of changed feeds and runs their jobs to the end: a started feed is then reported as built. */
const build = async () => {
  const response = await adminFetch('/feeds/build', { method: 'POST' })
  expect(response.status).toBe(202)
  const outcomes = (await response.json<{ feeds: Array<Record<string, any>> }>()).feeds
  return Promise.all(outcomes.map(async (outcome) => {
    if (outcome.status !== 'started') return outcome
    const job = await finishJob(outcome.job_id)
    expect(job.status).toBe('DONE')
    return { ...outcome, status: 'built', object_count: job.progress.objects }
  }))
}
const outcomesOf = (outcomes: Array<Record<string, any>>, party: Party) => outcomes.filter((outcome) => outcome.party_id === party.party_id)

/** A location whose connector uses `tariffIds`. */
function locationUsing(party: Party, id: string, tariffIds: string[], overrides: Partial<Location> = {}): Location {
  const location = sampleLocation(party, id, overrides, overrides.last_updated)
  const evse = present(location.evses?.[0], 'the EVSE')
  return { ...location, evses: [{ ...evse, connectors: [{ ...present(evse.connectors[0], 'the connector'), tariff_ids: tariffIds }] }] }
}

async function putTariff(party: Party, id: string, fields: Record<string, unknown> = {}) {
  const response = await adminFetch(`/tariffs/${party.country_code}/${party.party_id}/${id}`, { method: 'PUT', body: tariffBody(fields) })
  expect(response.status, await response.clone().text()).toBe(200)
}

// Builds run their background jobs to the end in-process: the tests that build get more than the default 5 s.
describe('x-feeds', { timeout: 30_000 }, () => {
  const cpo = uniqueParty()
  const LOCATIONS = 320
  let aggregator: { id: string; token: string }
  const feedPath = (version: string, module: string, party = cpo) => `/ocpi/${version}/sender/x-feeds/${party.country_code}/${party.party_id}/${module}`

  beforeAll(async () => {
    await hostCpo(cpo)
    aggregator = await registeredPeer({ roles: [{ role: 'NAP', country_code: 'NL', party_id: 'NAP', business_details: { name: 'NAP' } }], extensions: ['x-feeds'] })
    await putTariff(cpo, 'SHOWN', { last_updated: '2026-01-02T00:00:00Z' })
    await putTariff(cpo, 'HIDDENUSE', { last_updated: '2026-01-02T00:00:00Z' })
    const ids = Array.from({ length: LOCATIONS }, (_, index) => `L${String(index).padStart(4, '0')}`)
    for (let start = 0; start < ids.length; start += 16) {
      await Promise.all(ids.slice(start, start + 16).map((id, offset) => {
        const minute = String((start + offset) % 60).padStart(2, '0')
        const hour = String(Math.floor((start + offset) / 60)).padStart(2, '0')
        return putOwn(locationUsing(cpo, id, ['SHOWN'], { last_updated: `2026-01-01T${hour}:${minute}:00Z` }))
      }))
    }
    // Unpublished: in no feed, and the tariff only it uses is hidden with it (tariffs follow location visibility).
    await putOwn(locationUsing(cpo, 'SECRET', ['HIDDENUSE'], { publish: false, last_updated: '2026-01-01T23:00:00Z' }))
  }, 120_000)

  it('builds a gzip NDJSON snapshot per version and module that equals the paged pull, with its manifest', async () => {
    const outcomes = outcomesOf(await build(), cpo)
    expect(outcomes.map((outcome) => `${outcome.version} ${outcome.module} ${outcome.status}`).sort()).toEqual([
      '2.2.1 locations built', '2.2.1 tariffs built', '2.3.0 locations built', '2.3.0 tariffs built',
    ])

    for (const version of ['2.3.0', '2.2.1']) {
      const list = await ocpiFetch(`/ocpi/${version}/sender/x-feeds`, { token: aggregator.token })
      const feeds = (await list.json<OcpiBody>()).data.filter((feed: any) => feed.party_id === cpo.party_id)
      const locationsFeed = feeds.find((feed: any) => feed.module === 'locations')
      expect(locationsFeed).toMatchObject({
        country_code: 'NL', version, object_count: LOCATIONS, content_type: 'application/x-ndjson', content_encoding: 'gzip',
        url: `${env.PUBLIC_URL.replace(/\/$/, '')}${feedPath(version, 'locations')}`, last_updated: '2026-01-01T05:19:00.000Z',
      })

      const download = await rawDownload(feedPath(version, 'locations'), aggregator.token)
      expect(download.status).toBe(200)
      expect(download.headers.get('Content-Type')).toBe('application/x-ndjson')
      expect(download.headers.get('Content-Encoding')).toBe('gzip')
      expect(download.headers.get('ETag')).toBe(`"${locationsFeed.sha256}"`)
      const bytes = await download.arrayBuffer()
      expect(bytes.byteLength).toBe(locationsFeed.size)
      const lines = await gunzipLines(bytes)
      // A client that lets fetch() decode Content-Encoding gets the NDJSON itself.
      const decoded = new TextDecoder().decode(await (await ocpiFetch(feedPath(version, 'locations'), { token: aggregator.token })).arrayBuffer())
      expect(decoded).toBe(lines.map((line) => `${line}\n`).join(''))
      expect(await sha256(lines.map((line) => `${line}\n`).join(''))).toBe(locationsFeed.sha256)
      const pulled = await pullAll(`/ocpi/${version}/sender/locations?limit=100`, aggregator.token, to(cpo))
      expect(pulled).toHaveLength(LOCATIONS)
      expect(lines.map((line) => JSON.parse(line))).toEqual(pulled)

      const tariffLines = await gunzipLines(await (await rawDownload(feedPath(version, 'tariffs'), aggregator.token)).arrayBuffer())
      const pulledTariffs = await pullAll(`/ocpi/${version}/sender/tariffs`, aggregator.token, to(cpo))
      expect(tariffLines.map((line) => JSON.parse(line))).toEqual(pulledTariffs)
      expect(pulledTariffs.map((tariff: any) => tariff.id)).toEqual(['SHOWN'])
    }
  })

  it('answers If-None-Match with the current ETag by 304', async () => {
    const first = await ocpiFetch(feedPath('2.3.0', 'locations'), { token: aggregator.token })
    const etag = first.headers.get('ETag')!
    await first.arrayBuffer()
    const again = await ocpiFetch(feedPath('2.3.0', 'locations'), { token: aggregator.token, headers: { 'If-None-Match': etag } })
    expect(again.status).toBe(304)
    expect(again.headers.get('ETag')).toBe(etag)
    expect(await again.text()).toBe('')
    const other = await ocpiFetch(feedPath('2.3.0', 'locations'), { token: aggregator.token, headers: { 'If-None-Match': '"something-else"' } })
    expect(other.status).toBe(200)
    await other.arrayBuffer()
  })

  it('skips a build when nothing changed, rebuilds after a change and keeps the last two snapshots', async () => {
    expect(outcomesOf(await build(), cpo).map((outcome) => outcome.status)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged'])

    for (const [index, minute] of ['01', '02'].entries()) {
      await putOwn(locationUsing(cpo, `NEW${index}`, ['SHOWN'], { last_updated: `2026-01-02T00:${minute}:00Z` }))
      const outcomes = outcomesOf(await build(), cpo)
      expect(outcomes.filter((outcome) => outcome.module === 'locations').map((outcome) => [outcome.status, outcome.object_count])).toEqual([
        ['built', LOCATIONS + index + 1], ['built', LOCATIONS + index + 1],
      ])
    }
    const stored = await env.BUNDLES.list({ prefix: `feeds/${cpo.country_code}/${cpo.party_id}/2.3.0/locations/` })
    expect(stored.objects).toHaveLength(2)
    const latest = await (await ocpiFetch(`/ocpi/2.3.0/sender/x-feeds`, { token: aggregator.token })).json<OcpiBody>()
    const feed = latest.data.find((candidate: any) => candidate.party_id === cpo.party_id && candidate.module === 'locations')
    expect(feed).toMatchObject({ object_count: LOCATIONS + 2, last_updated: '2026-01-02T00:02:00.000Z' })
  })

  it('is rebuilt by the cron job', async () => {
    await putOwn(locationUsing(cpo, 'NEW2', ['SHOWN'], { last_updated: '2026-01-02T00:03:00Z' }))
    await scheduledJobs.find((job) => job.name === 'x-feeds-build')!.run(env, Date.now())
    // The cron started the builds; starting them again finds the same jobs, which run to the end here.
    expect(outcomesOf(await build(), cpo).map((outcome) => outcome.status)).toEqual(['built', 'built', 'built', 'built'])
    const list = await (await ocpiFetch('/ocpi/2.2.1/sender/x-feeds', { token: aggregator.token })).json<OcpiBody>()
    expect(list.data.find((feed: any) => feed.party_id === cpo.party_id && feed.module === 'locations')).toMatchObject({ object_count: LOCATIONS + 3 })
  })

  it('serves a feed only to peers agreed to x-feeds whose view equals the feed audience', async () => {
    const notAgreed = await registeredPeer()
    const refused = await ocpiFetch(feedPath('2.3.0', 'locations'), { token: notAgreed.token })
    expect(refused.status).toBe(404)
    expect((await refused.json<OcpiBody>()).status_code).toBe(2000)

    const restricted = await registeredPeer({ extensions: ['x-feeds'] })
    await putPolicy(db(), cpo, { default: 'all', peers: { [restricted.id]: ['L0001', 'SECRET'] } })
    const download = await ocpiFetch(feedPath('2.3.0', 'locations'), { token: restricted.token })
    expect(download.status).toBe(404)
    const body = await download.json<OcpiBody>()
    expect(body.status_code).toBe(2001)
    expect(body.status_message).toMatch(/page by page/)
    const list = await (await ocpiFetch('/ocpi/2.3.0/sender/x-feeds', { token: restricted.token })).json<OcpiBody>()
    expect(list.data.filter((feed: any) => feed.party_id === cpo.party_id)).toEqual([])
    // The aggregator's view is unchanged by another peer's grant.
    const served = await ocpiFetch(feedPath('2.3.0', 'locations'), { token: aggregator.token })
    expect(served.status).toBe(200)
    await served.arrayBuffer()

    // Opted in to non-ISO currencies: its tariff pull holds more than the feed, so only the locations feed is its.
    const crypto = await registeredPeer({ extensions: ['x-feeds'] })
    await setPeerAcceptsNonIsoCurrencies(db(), crypto.id, true)
    expect((await ocpiFetch(feedPath('2.3.0', 'tariffs'), { token: crypto.token })).status).toBe(404)
    const locations = await ocpiFetch(feedPath('2.3.0', 'locations'), { token: crypto.token })
    expect(locations.status).toBe(200)
    await locations.arrayBuffer()

    expect((await ocpiFetch(feedPath('2.3.0', 'sessions'), { token: aggregator.token })).status).toBe(404)
    expect((await ocpiFetch(feedPath('2.3.0', 'locations', uniqueParty()), { token: aggregator.token })).status).toBe(404)
  })

  it('builds nothing for a party no agreed peer would be served a feed of', async () => {
    const closed = uniqueParty()
    await hostCpo(closed)
    await putOwn(sampleLocation(closed, 'C1'))
    await putPolicy(db(), closed, { default: 'none' })
    expect(outcomesOf(await build(), closed).map((outcome) => outcome.status)).toEqual(['no_audience', 'no_audience', 'no_audience', 'no_audience'])
  })

  it('lists x-feeds in version details only for agreed peers', async () => {
    const identifiers = async (token: string) => ((await (await ocpiFetch('/ocpi/2.3.0/details', { token })).json<OcpiBody>()).data.endpoints as any[]).map((endpoint) => endpoint.identifier)
    expect(await identifiers(aggregator.token)).toContain('x-feeds')
    expect(await identifiers((await registeredPeer()).token)).not.toContain('x-feeds')
  })
})
