import { request } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakePeer } from './fake-peer'
import { a, b, grantsOf, unique } from './harness'

// Locations between two real platforms: a hosts a CPO, b an eMSP. Push (a's outbox to b's receiver), pull (b's sync
// endpoint, and a scripted pull-only NSP calling a's sender), and the sharing policy (B1.5) hiding and revealing.

const poll = { timeout: 20_000, interval: 250 }

/** A GET as it travels, asking for gzip as Go's, Java's and Node's HTTP clients do; node's fetch() would decode it. */
function rawGzipGet(url: string, headers: Record<string, string>): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers: { ...headers, 'Accept-Encoding': 'gzip, deflate, br' } }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }))
      response.on('error', reject)
    })
    outgoing.on('error', reject)
    outgoing.end()
  })
}

function sampleLocation(party: { country_code: string; party_id: string }, id: string, publish = true) {
  return {
    country_code: party.country_code, party_id: party.party_id, id, publish, name: `Test ${id}`,
    address: 'Stationsplein 1', city: 'Amsterdam', postal_code: '1012 AB', country: 'NLD',
    coordinates: { latitude: '52.378901', longitude: '4.900272' }, time_zone: 'Europe/Amsterdam',
    evses: [{
      uid: `${id}-1`, evse_id: `${party.country_code}*${party.party_id}*E${id}*1`, status: 'AVAILABLE',
      connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, max_electric_power: 22000 }],
    }],
    parking_places: [{ id: 'P1', vehicle_types: ['PERSONAL_VEHICLE'], restricted_to_type: false, reservation_required: false }],
  }
}

describe.each(['2.2.1', '2.3.0'] as const)('locations between CPO platform a and eMSP platform b over %s', (version) => {
  const cpo = { country_code: 'NL', party_id: unique('').slice(0, 3) }
  const location = sampleLocation(cpo, unique('LOC'))
  const path = `/locations/${cpo.country_code}/${cpo.party_id}/${location.id}`
  let peerOnA: string // b, as a knows it
  let peerOnB: string // a, as b knows it
  const nsp = new FakePeer({ role: { role: 'NSP', country_code: 'NL', party_id: unique('').slice(0, 3) } })
  let nspOnA: string
  let nspToken: string
  // One copy per location, whichever of b's connections to a delivered it last.
  const received = () => b.adminRaw(`GET`, `${path}?source=received`)
  const nspGet = (suffix: string) => a.ocpi('GET', `/ocpi/${version}/sender/locations${suffix}`, { token: nspToken, headers: { 'OCPI-to-country-code': cpo.country_code, 'OCPI-to-party-id': cpo.party_id } })

  beforeAll(async () => {
    await a.admin('POST', '/parties', { ...cpo, role: 'CPO', business_details: { name: 'E2E CPO' } })
    await b.admin('POST', '/parties', { country_code: 'NL', party_id: unique('').slice(0, 3), role: 'EMSP', business_details: { name: 'E2E eMSP' } })
    const invite = await a.admin('POST', '/peers/invite', { name: `b over ${version}`, grants: await grantsOf(b) })
    const connected = await b.admin('POST', '/peers/connect', { versions_url: invite.versions_url, token_a: invite.token_a, version, grants: await grantsOf(a) })
    expect(connected).toMatchObject({ version, status: 'CONNECTED' })
    peerOnA = invite.peer_id
    peerOnB = connected.peer_id

    // A pull-only NSP (B1.2): registers with a and only ever GETs a's sender interface.
    await nsp.start()
    const nspInvite = await a.admin('POST', '/peers/invite', { name: 'pull-only NSP' })
    const registration = await a.ocpi('POST', `/ocpi/${version}/credentials`, { token: nspInvite.token_a, body: nsp.credentials(nsp.issueToken()) })
    expect(registration.body, JSON.stringify(registration.body)).toMatchObject({ status_code: 1000 })
    nspOnA = nspInvite.peer_id
    nspToken = registration.body.data.token
  })
  afterAll(() => nsp.stop())

  it('pushes a location written on a to b', async () => {
    expect((await a.adminRaw('PUT', path, location)).status).toBe(201)
    await expect.poll(async () => (await received()).body, poll).toMatchObject({ id: location.id, publish: true, evses: [{ status: 'AVAILABLE' }] })
    const onB = (await received()).body
    // 2.2.1 has no Parking objects: a 2.2.1 receiver never gets them.
    if (version === '2.2.1') expect(onB).not.toHaveProperty('parking_places')
    else expect(onB.parking_places).toHaveLength(1)
  })

  it('pushes an EVSE status change as a PATCH that b applies', async () => {
    await a.admin('PATCH', `${path}/${location.id}-1`, { status: 'CHARGING' })
    await expect.poll(async () => (await received()).body?.evses?.[0]?.status, poll).toBe('CHARGING')
  })

  it('lets b pull the full list from a through the sync endpoint', async () => {
    const accepted = await b.adminRaw('POST', `/locations/sync/${peerOnB}`, { limit: 50 })
    expect(accepted).toMatchObject({ status: 202, body: { kind: 'locations.sync', status_url: `/admin/v1/jobs/${accepted.body.job_id}` } })
    const job = await b.jobDone(accepted.body)
    expect(job).toMatchObject({ steps: expect.any(Number), finished_at: expect.any(String) })
    const result = job.progress
    expect(result.pages).toBeGreaterThanOrEqual(1)
    expect(result.received).toBeGreaterThanOrEqual(1)
    expect(result.invalid).toEqual([])
    expect((await received()).body).toMatchObject({ id: location.id, evses: [{ status: 'CHARGING' }] })
  })

  it('serves a pull-only peer by list and by id', async () => {
    const list = await nspGet('')
    expect(list.body.data.map((item: { id: string }) => item.id)).toContain(location.id)
    expect(list.headers.get('X-Total-Count')).toBeTruthy()
    // The same page again comes from the Cache API (key: visibility, data version, query), identical.
    await expect.poll(async () => (await nspGet('')).headers.get('X-Cache'), poll).toBe('HIT')
    const cached = await nspGet('')
    expect(cached.body.data).toEqual(list.body.data)
    expect(cached.headers.get('X-Total-Count')).toBe(list.headers.get('X-Total-Count'))
    expect((await nspGet(`/${location.id}/${location.id}-1`)).body.data).toMatchObject({ uid: `${location.id}-1`, status: 'CHARGING' })

    // Asked for with gzip, the remembered page goes out gzip-encoded, one gzip member (wrangler dev's proxy sends it
    // chunked; workerd's own socket with the Content-Length the Worker set: the bench's cache-hit gzip row).
    const gzipped = await rawGzipGet(`${a.url}/ocpi/${version}/sender/locations`, {
      Authorization: `Token ${Buffer.from(nspToken).toString('base64')}`, 'OCPI-to-country-code': cpo.country_code, 'OCPI-to-party-id': cpo.party_id,
    })
    expect(gzipped.headers).toMatchObject({ 'x-cache': 'HIT', 'content-encoding': 'gzip', vary: 'Accept-Encoding', 'x-total-count': list.headers.get('X-Total-Count') })
    if (gzipped.headers['content-length'] !== undefined) expect(gzipped.body.byteLength).toBe(Number(gzipped.headers['content-length']))
    const decoded = JSON.parse(gunzipSync(gzipped.body).toString('utf8'))
    expect(decoded).toMatchObject({ status_code: 1000, data: list.body.data })
    expect(Date.parse(decoded.timestamp)).toBeGreaterThanOrEqual(Date.parse(list.body.timestamp))
  })

  it('hides a location by policy: no longer served, and b is told by a push', async () => {
    // Hidden from b's every connection to a (one per version): b keeps one copy of the location, whichever delivered it.
    const policy = await a.admin('PUT', `/policies/${cpo.country_code}/${cpo.party_id}`, { default: 'all', roles: { EMSP: 'none' }, peers: { [nspOnA]: 'none' } })
    expect((await a.jobDone(policy)).progress).toMatchObject({ locations_scanned: 1, changed_locations: 1 })
    const single = await nspGet(`/${location.id}`)
    expect(single.status).toBe(404)
    expect(single.body.status_code).toBe(2003)
    expect((await nspGet('')).body.data).toEqual([])
    await expect.poll(async () => (await received()).body?.publish, poll).toBe(false)
  })

  it('reveals it again: pushed to b, served to the pull-only peer', async () => {
    await a.admin('PUT', `/policies/${cpo.country_code}/${cpo.party_id}`, { default: 'all' })
    await expect.poll(async () => (await received()).body?.publish, poll).toBe(true)
    expect((await nspGet(`/${location.id}`)).body.data).toMatchObject({ id: location.id, publish: true })
  })

  it('moves EVSEs to another hosted CPO (B1.1): b ends with the old EVSE REMOVED and the new location', async () => {
    const newCpo = { country_code: 'NL', party_id: unique('').slice(0, 3) }
    await a.admin('POST', '/parties', { ...newCpo, role: 'CPO', business_details: { name: 'E2E new CPO' } })
    // b learns the new party from a's credentials update (B8.2); its operator grants it before pushes for it are accepted.
    await expect.poll(async () => (await b.admin('GET', `/peers/${peerOnB}`)).pending_roles.map((role: { party_id: string }) => role.party_id), poll).toContain(newCpo.party_id)
    await b.admin('POST', `/peers/${peerOnB}/roles/approve`, { roles: [{ ...newCpo, role: 'CPO' }] })
    const moved = await a.admin('POST', `${path}/move`, { to: newCpo })
    expect(moved.to).toMatchObject({ party_id: newCpo.party_id, id: location.id, evses: [{ evse_id: `NL*${newCpo.party_id}*E${location.id}*1` }] })
    await expect.poll(async () => (await received()).body?.evses?.[0]?.status, poll).toBe('REMOVED')
    await expect
      .poll(async () => (await b.adminRaw('GET', `/locations/NL/${newCpo.party_id}/${location.id}?source=received`)).body?.evses?.[0]?.status, poll)
      .toBe('CHARGING')
  })
})
