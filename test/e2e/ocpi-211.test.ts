import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { a, d, unique, type Platform } from './harness'
import { startPlatform, stopPlatform } from './platform-process'

// OCPI 2.1.1 beside 2.3.0 (docs/ocpi-2.1.1.md): platform d runs with OCPI_VERSIONS=2.1.1 and so is a 2.1.1 party; a
// offers every version. A 2.1.1 connection is one party with one party, so each side names, at invite and connect, the
// peer's party (grants) and its own party for the connection (party).

const poll = { timeout: 20_000, interval: 250 }

async function hostParty(platform: Platform, role: 'CPO' | 'EMSP') {
  const party = { country_code: 'NL', party_id: unique('').slice(0, 3) }
  await platform.admin('POST', '/parties', { ...party, role, business_details: { name: `${platform.name} ${role}` } })
  return party
}

function sampleLocation(id: string, tariffId: string) {
  return {
    id, publish: true, name: `Test ${id}`, address: 'Stationsplein 1', city: 'Amsterdam', postal_code: '1012 AB', country: 'NLD',
    coordinates: { latitude: '52.378901', longitude: '4.900272' }, time_zone: 'Europe/Amsterdam',
    evses: [{
      uid: `${id}-1`, evse_id: `NL*ABC*E${id}*1`, status: 'AVAILABLE',
      connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: [tariffId] }],
    }],
  }
}

const energyTariff = { currency: 'EUR', type: 'REGULAR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 21, step_size: 1 }] }], tax_included: 'NO' }

beforeAll(() => startPlatform('d', { fresh: true, vars: { OCPI_VERSIONS: '2.1.1' } }), 400_000)
afterAll(() => stopPlatform('d'))

/**
 * `cpoSide` hosts a CPO, `emspSide` an eMSP; `registrant` POSTs its credentials to the other one, which invited it.
 * Returns each side's peer id for the other.
 */
async function connect211(cpoSide: Platform, emspSide: Platform, registrant: Platform) {
  const cpo = await hostParty(cpoSide, 'CPO')
  const emsp = await hostParty(emspSide, 'EMSP')
  const inviter = registrant === cpoSide ? emspSide : cpoSide
  const [inviterParty, registrantParty] = inviter === cpoSide ? [{ ...cpo, role: 'CPO' }, { ...emsp, role: 'EMSP' }] : [{ ...emsp, role: 'EMSP' }, { ...cpo, role: 'CPO' }]
  const party = (role: { country_code: string; party_id: string }) => ({ country_code: role.country_code, party_id: role.party_id })
  const invite = await inviter.admin('POST', '/peers/invite', { name: 'over 2.1.1', grants: [registrantParty], party: party(inviterParty) })
  const connected = await registrant.admin('POST', '/peers/connect', {
    versions_url: invite.versions_url, token_a: invite.token_a, grants: [inviterParty], party: party(registrantParty),
  })
  expect(connected).toMatchObject({ version: '2.1.1', status: 'CONNECTED', roles: [{ ...inviterParty }] })
  const ids = { onInviter: invite.peer_id as string, onRegistrant: connected.peer_id as string }
  const [peerOnCpoSide, peerOnEmspSide] = inviter === cpoSide ? [ids.onInviter, ids.onRegistrant] : [ids.onRegistrant, ids.onInviter]
  return { cpo, emsp, peerOnCpoSide, peerOnEmspSide }
}

describe.each([
  { title: 'a 2.1.1 CPO (d) and a 2.3.0 eMSP (a), d registering with a', cpoSide: d, emspSide: a, registrant: d },
  { title: 'a 2.3.0 CPO (a) and a 2.1.1 eMSP (d), a registering with d', cpoSide: a, emspSide: d, registrant: a },
])('$title', ({ cpoSide, emspSide, registrant }) => {
  let connection: Awaited<ReturnType<typeof connect211>>
  const locationId = unique('LOC')
  const tariffId = unique('TAR')
  const received = () => emspSide.adminRaw('GET', `/locations/${connection.cpo.country_code}/${connection.cpo.party_id}/${locationId}?source=received`)

  beforeAll(async () => {
    connection = await connect211(cpoSide, emspSide, registrant)
  }, 60_000)

  it('registers over 2.1.1 on both sides, each holding the other\'s one party in its role', async () => {
    const onCpoSide = await cpoSide.admin('GET', `/peers/${connection.peerOnCpoSide}`)
    const onEmspSide = await emspSide.admin('GET', `/peers/${connection.peerOnEmspSide}`)
    expect(onCpoSide).toMatchObject({ version: '2.1.1', status: 'CONNECTED', roles: [{ role: 'EMSP', ...connection.emsp }] })
    expect(onEmspSide).toMatchObject({ version: '2.1.1', status: 'CONNECTED', roles: [{ role: 'CPO', ...connection.cpo }] })
    // 2.1.1 endpoints carry no role: each is stored as the interface the peer's side implements.
    expect(onEmspSide.endpoints).toEqual(expect.arrayContaining([expect.objectContaining({ identifier: 'locations', role: 'SENDER' })]))
    expect(onCpoSide.endpoints).toEqual(expect.arrayContaining([expect.objectContaining({ identifier: 'locations', role: 'RECEIVER' })]))
    expect(onCpoSide.endpoints.some((endpoint: { identifier: string }) => endpoint.identifier === 'hubclientinfo')).toBe(false)
  })

  it('pushes a tariff and a location written on the CPO side to the eMSP side, owned by the connection\'s party', async () => {
    const { cpo } = connection
    await cpoSide.admin('PUT', `/tariffs/${cpo.country_code}/${cpo.party_id}/${tariffId}`, energyTariff)
    await cpoSide.admin('PUT', `/locations/${cpo.country_code}/${cpo.party_id}/${locationId}`, { ...sampleLocation(locationId, tariffId), ...cpo })
    await expect.poll(async () => (await received()).body, poll).toMatchObject({ ...cpo, id: locationId, evses: [{ status: 'AVAILABLE' }] })
    await expect.poll(async () => emspSide.admin('GET', `/tariffs?source=received&party=${cpo.country_code}*${cpo.party_id}`), poll)
      .toEqual(expect.arrayContaining([expect.objectContaining({ id: tariffId, currency: 'EUR' })]))
  })

  it('pushes an EVSE status change as a 2.1.1 PATCH', async () => {
    const { cpo } = connection
    await cpoSide.admin('PATCH', `/locations/${cpo.country_code}/${cpo.party_id}/${locationId}/${locationId}-1`, { status: 'CHARGING' })
    await expect.poll(async () => (await received()).body?.evses?.[0]?.status, poll).toBe('CHARGING')
  })

  it('charges over 2.1.1: START_SESSION from the eMSP side, the session at the eMSP side, STOP_SESSION, the CDR at the eMSP side', async () => {
    const { cpo, emsp } = connection
    await cpoSide.admin('PATCH', `/locations/${cpo.country_code}/${cpo.party_id}/${locationId}/${locationId}-1`, { status: 'AVAILABLE' })
    const token = {
      ...emsp, uid: unique('RFID'), type: 'RFID', contract_id: `${emsp.country_code}${emsp.party_id}C${unique('')}`.slice(0, 36), issuer: 'E2E eMSP',
      valid: true, whitelist: 'ALLOWED', last_updated: new Date().toISOString(),
    }
    const send = async (command: string, body: unknown) => {
      const response = await emspSide.adminRaw('POST', `/commands/${connection.peerOnEmspSide}/${command}`, body)
      expect(response.status, JSON.stringify(response.body)).toBe(202)
      return response.body as { command_id: string; state: string }
    }
    const finalState = async (id: string) => {
      const view = (await emspSide.adminRaw('GET', `/commands/${id}`)).body
      return view?.command?.final ? view.command.state : undefined
    }
    const start = await send('START_SESSION', { token, location_id: locationId, evse_uid: `${locationId}-1` })
    expect(start.state).toBe('ACCEPTED')
    await expect.poll(() => finalState(start.command_id), poll).toBe('ACCEPTED')

    // A 2.1.1 session names its token by auth_id (the contract_id) only: found at the eMSP side by it.
    const receivedSession = async () => (await emspSide.admin('GET', '/sessions?source=received&limit=1000')).find((session: any) => session.cdr_token.contract_id === token.contract_id)
    await expect.poll(async () => (await receivedSession())?.status, poll).toBe('ACTIVE')
    const session = await receivedSession()
    expect(session).toMatchObject({ ...cpo, location_id: locationId, evse_uid: `${locationId}-1`, connector_id: '1', cdr_token: { ...emsp, contract_id: token.contract_id } })

    const stop = await send('STOP_SESSION', { session_id: session.id })
    await expect.poll(() => finalState(stop.command_id), poll).toBe('ACCEPTED')
    await expect.poll(async () => (await emspSide.adminRaw('GET', `/cdrs/${cpo.country_code}/${cpo.party_id}/${session.id}?source=received`)).body, poll)
      .toMatchObject({ ...cpo, id: session.id, cdr_token: { ...emsp, contract_id: token.contract_id }, cdr_location: { id: locationId, evse_uid: `${locationId}-1` }, total_energy: expect.any(Number) })
    await expect.poll(async () => (await receivedSession())?.status, poll).toBe('COMPLETED')
  })

  it('lets the eMSP side pull the CPO side\'s locations in 2.1.1', async () => {
    const accepted = await emspSide.admin('POST', `/locations/sync/${connection.peerOnEmspSide}`, { limit: 50 })
    const job = await emspSide.jobDone(accepted)
    expect(job.progress).toMatchObject({ invalid: [], not_represented: 0 })
    expect(job.progress.received).toBeGreaterThanOrEqual(1)
  })
})
