import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { commonShard, databaseFor, shardBinding, shardBindings, shardMap } from '../../src/db/shards'
import { getLocation, OWN_SOURCE } from '../../src/modules/locations/store'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../ocpi/fixtures'
import { hostCpo, putOwn, sampleLocation, uniqueParty, type Party } from '../modules/locations/fixtures'

// vitest.config.ts gives the tests two local D1 databases, DB and DB_SHARD_1, and D1_SHARDS = 'XS*SH1=DB_SHARD_1'.

describe('D1_SHARDS', () => {
  it('maps parties to bindings, case-insensitively, everything else and platform data on DB', () => {
    const settings = { D1_SHARDS: 'NL*ABC=DB_SHARD_1, de*xyz=DB_SHARD_2' }
    expect(shardBinding(settings, { country_code: 'nl', party_id: 'abc' })).toBe('DB_SHARD_1')
    expect(shardBinding(settings, { country_code: 'DE', party_id: 'XYZ' })).toBe('DB_SHARD_2')
    expect(shardBinding(settings, { country_code: 'NL', party_id: 'OTH' })).toBe('DB')
    expect(shardBinding(settings, 'platform')).toBe('DB')
    expect(shardBinding({}, { country_code: 'NL', party_id: 'ABC' })).toBe('DB')
    expect(shardBindings(settings)).toEqual(['DB', 'DB_SHARD_1', 'DB_SHARD_2'])
  })

  it('refuses a setting it cannot read', () => {
    expect(() => shardMap('NL-ABC=DB_SHARD_1')).toThrow(/CC\*PID=BINDING/)
    expect(() => shardMap('NL*ABC=')).toThrow(/CC\*PID=BINDING/)
    expect(shardMap('  ').size).toBe(0)
  })

  it('finds the one shard a set of parties shares, or none', () => {
    const settings = { D1_SHARDS: 'NL*ABC=DB_SHARD_1 NL*DEF=DB_SHARD_1' }
    const [abc, def, other] = [{ country_code: 'NL', party_id: 'ABC' }, { country_code: 'NL', party_id: 'DEF' }, { country_code: 'NL', party_id: 'OTH' }]
    expect(commonShard(settings, [abc, def])).toEqual(abc)
    expect(commonShard(settings, [other])).toBe('platform')
    expect(commonShard(settings, [])).toBe('platform')
    expect(commonShard(settings, [abc, other])).toBeUndefined()
  })

  it('fails loudly on a binding the Worker lacks', () => {
    expect(() => databaseFor({ DB: env.DB, D1_SHARDS: 'NL*ABC=DB_MISSING' }, { country_code: 'NL', party_id: 'ABC' })).toThrow(/DB_MISSING/)
  })
})

describe('a party on a second D1 database', () => {
  const sharded: Party = { country_code: 'XS', party_id: 'SH1' }
  const unsharded = uniqueParty()
  const to = (party: Party) => ({ 'OCPI-to-country-code': party.country_code, 'OCPI-to-party-id': party.party_id })
  let peer: { id: string; token: string }

  const idsIn = async (d1: D1Database, party: Party) =>
    (await d1.prepare('SELECT id FROM locations WHERE country_code = ? AND party_id = ? ORDER BY id').bind(party.country_code, party.party_id).all<{ id: string }>()).results.map((row) => row.id)

  beforeAll(async () => {
    await hostCpo(sharded)
    await hostCpo(unsharded)
    peer = await registeredPeer()
    await putOwn(sampleLocation(sharded, 'S1', {}, '2026-01-01T10:00:00Z'))
    await putOwn(sampleLocation(sharded, 'S2', {}, '2026-01-01T11:00:00Z'))
    await putOwn(sampleLocation(unsharded, 'U1', {}, '2026-01-01T10:30:00Z'))
  })

  it('writes each party\'s locations to its own database only', async () => {
    expect(await idsIn(env.DB_SHARD_1, sharded)).toEqual(['S1', 'S2'])
    expect(await idsIn(env.DB, sharded)).toEqual([])
    expect(await idsIn(env.DB, unsharded)).toEqual(['U1'])
    expect(await idsIn(env.DB_SHARD_1, unsharded)).toEqual([])
    // Platform data stays on DB: the hosted parties and the peer.
    expect((await env.DB_SHARD_1.prepare('SELECT count(*) AS n FROM parties').first<{ n: number }>())?.n).toBe(0)
    expect((await env.DB_SHARD_1.prepare('SELECT count(*) AS n FROM peers').first<{ n: number }>())?.n).toBe(0)
  })

  it('reads through the store from the database databaseFor selects', async () => {
    expect(await getLocation(databaseFor(env, sharded), OWN_SOURCE, sharded, 'S1')).toBeDefined()
    expect(await getLocation(databaseFor(env, unsharded), OWN_SOURCE, sharded, 'S1')).toBeUndefined()
  })

  it('answers an OCPI list and a single GET for each party', async () => {
    for (const [party, ids] of [[sharded, ['S1', 'S2']], [unsharded, ['U1']]] as const) {
      const list = await ocpiFetch('/ocpi/2.3.0/sender/locations', { token: peer.token, headers: to(party) })
      const body = await list.json<OcpiBody>()
      expect(body.data.map((location: { id: string }) => location.id)).toEqual(ids)
      expect(list.headers.get('X-Total-Count')).toBe(String(ids.length))
      const single = await ocpiFetch(`/ocpi/2.2.1/sender/locations/${ids[0]}`, { token: peer.token, headers: to(party) })
      expect((await single.json<OcpiBody>()).data).toMatchObject({ id: ids[0], party_id: party.party_id })
    }
    const elsewhere = await ocpiFetch('/ocpi/2.3.0/sender/locations/U1', { token: peer.token, headers: to(sharded) })
    expect(elsewhere.status).toBe(404)
  })

  it('pages a sharded party by cursor, the bookmark staying on its database', async () => {
    const first = await ocpiFetch('/ocpi/2.3.0/sender/locations?limit=1', { token: peer.token, headers: to(sharded) })
    expect((await first.json<OcpiBody>()).data.map((location: { id: string }) => location.id)).toEqual(['S1'])
    const next = new URL(/<([^>]+)>/.exec(first.headers.get('Link') ?? '')?.[1] ?? '')
    const second = await ocpiFetch(next.pathname + next.search, { token: peer.token, headers: to(sharded) })
    expect((await second.json<OcpiBody>()).data.map((location: { id: string }) => location.id)).toEqual(['S2'])
  })

  it('refuses a list without OCPI-to while the served parties are on two databases', async () => {
    const body = await (await ocpiFetch('/ocpi/2.3.0/sender/locations', { token: peer.token })).json<OcpiBody>()
    expect(body).toMatchObject({ status_code: 2001, data: { path: 'OCPI-to-country-code' } })
  })

  it('routes management reads and PATCHes of a sharded party to its database', async () => {
    const patched = await adminFetch(`/locations/${sharded.country_code}/${sharded.party_id}/S1`, { method: 'PATCH', body: { name: 'On shard one' } })
    expect(patched.status).toBe(200)
    const row = await env.DB_SHARD_1.prepare("SELECT json_extract(object, '$.name') AS name FROM locations WHERE id = 'S1'").first<{ name: string }>()
    expect(row?.name).toBe('On shard one')
    expect(await (await adminFetch(`/locations/${sharded.country_code}/${sharded.party_id}/S1`)).json()).toMatchObject({ name: 'On shard one' })
    const listed = await (await adminFetch(`/locations?party=${sharded.country_code}*${sharded.party_id}&source=own`)).json<{ data?: unknown[] } | unknown[]>()
    expect(JSON.stringify(listed)).toContain('On shard one')
  })
})

describe('databaseFor', () => {
  // Building a drizzle instance derives the relational config of the whole schema: every live session's meter
  // reading, every outbox run and every request opens the database, so it is built once per binding.
  it('reuses one database per D1 binding', () => {
    expect(databaseFor(env)).toBe(databaseFor(env))
    expect(databaseFor(env, { country_code: 'XS', party_id: 'SH1' })).toBe(databaseFor(env, { country_code: 'XS', party_id: 'SH1' }))
    expect(databaseFor(env, { country_code: 'XS', party_id: 'SH1' })).not.toBe(databaseFor(env))
  })
})
