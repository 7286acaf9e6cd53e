import { beforeAll, describe, expect, it } from 'vitest'
import { a, b, grantsOf, unique } from './harness'
import { present } from '../present'

// Convergence between two real platforms (docs/push.md, "Versions"): concurrent owner writes on CPO platform a, pushed
// through a's outbox to eMSP platform b; once the outbox drains, b holds exactly a's committed state, last_updated included.

const WRITERS = 8
const LOCATIONS = 3
const FIELDS = ['name', 'address', 'city', 'postal_code', 'state', 'directions', 'operator', 'facilities'] as const

function fieldValue(field: (typeof FIELDS)[number], writer: number): unknown {
  if (field === 'directions') return [{ language: 'en', text: `writer ${writer}` }]
  if (field === 'operator') return { name: `writer ${writer}` }
  if (field === 'facilities') return [writer % 2 ? 'CAFE' : 'MALL']
  return `writer ${writer}`
}

function sampleLocation(party: { country_code: string; party_id: string }, id: string) {
  return {
    country_code: party.country_code, party_id: party.party_id, id, publish: true, name: `Race ${id}`,
    address: 'Stationsplein 1', city: 'Amsterdam', postal_code: '1012 AB', country: 'NLD',
    coordinates: { latitude: '52.378901', longitude: '4.900272' }, time_zone: 'Europe/Amsterdam', last_updated: '2026-01-01T10:00:00Z',
    evses: [{
      uid: `${id}-1`, evse_id: `${party.country_code}*${party.party_id}*E${id}*1`, status: 'AVAILABLE', last_updated: '2026-01-01T10:00:00Z',
      connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, last_updated: '2026-01-01T10:00:00Z' }],
    }],
  }
}

describe('convergence of platform b with platform a under concurrent owner writes', () => {
  const cpo = { country_code: 'NL', party_id: unique('').slice(0, 3) }
  const ids = Array.from({ length: LOCATIONS }, (_, index) => unique(`RACE${index}`))
  let peerOnA: string
  let peerOnB: string
  const path = (id: string) => `/locations/${cpo.country_code}/${cpo.party_id}/${id}`
  const outboxOfB = async () => (await a.admin('GET', `/peers/${peerOnA}`)).outbox

  async function drained() {
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline) {
      if ((await outboxOfB()).depth === 0) return
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    throw new Error(`a's outbox for b did not drain: ${JSON.stringify(await outboxOfB())}`)
  }

  beforeAll(async () => {
    await a.admin('POST', '/parties', { ...cpo, role: 'CPO', business_details: { name: 'Race CPO' } })
    await b.admin('POST', '/parties', { country_code: 'NL', party_id: unique('').slice(0, 3), role: 'EMSP', business_details: { name: 'Race eMSP' } })
    const invite = await a.admin('POST', '/peers/invite', { name: 'b for convergence', grants: await grantsOf(b) })
    const connected = await b.admin('POST', '/peers/connect', { versions_url: invite.versions_url, token_a: invite.token_a, version: '2.3.0', grants: await grantsOf(a) })
    peerOnA = invite.peer_id
    peerOnB = connected.peer_id
    for (const id of ids) await a.admin('PUT', path(id), sampleLocation(cpo, id))
    await drained()
  })

  it(`leaves b with a's committed locations after ${WRITERS} concurrent PATCHes on each of ${LOCATIONS}`, async () => {
    const before = await outboxOfB()
    const base = Date.parse('2026-01-01T11:00:00Z')
    const statuses = await Promise.all(ids.flatMap((id) => Array.from({ length: WRITERS }, async (_, writer) => {
      const field = present(FIELDS[writer], `a field for writer ${writer}`)
      return (await a.adminRaw('PATCH', path(id), { [field]: fieldValue(field, writer), last_updated: new Date(base + writer).toISOString() })).status
    })))
    // A write older than one already committed is refused (409); no other answer.
    expect(statuses.every((status) => status === 200 || status === 409), statuses.join(',')).toBe(true)
    await drained()
    for (const id of ids) {
      const committed = (await a.adminRaw('GET', path(id))).body
      const held = (await b.adminRaw('GET', `${path(id)}?source=${peerOnB}`)).body
      expect(held, id).toEqual(committed)
    }
    const after = await outboxOfB()
    console.info(`convergence: ${statuses.length} writers, ${statuses.filter((status) => status === 200).length} committed, ` +
      `${(after.delivered ?? 0) - (before.delivered ?? 0)} pushes delivered, ${(after.stale ?? 0) - (before.stale ?? 0)} stale, ${(after.coalesced ?? 0) - (before.coalesced ?? 0)} coalesced`)
  })
})
