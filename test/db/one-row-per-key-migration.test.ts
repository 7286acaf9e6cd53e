import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { migration, rows, run } from './migration-helpers'

// migrations/0250_one_row_per_key.sql on data in the shapes before it: every key keeps one row, the hosted party's
// copy first, then the newest, and `source` becomes `peer_id`. Storage is isolated per test, so the tables rebuilt
// here are the test's own.


describe('migration to one row per key', () => {
  it('keeps the own copy, else the newest, of every key, with whose copy it is in peer_id', async () => {
    await run(['DROP TABLE locations', 'DROP TABLE tokens', 'DROP TABLE sessions', 'DROP TABLE cdrs'])
    await run([...migration('0020_'), ...migration('0040_'), ...migration('0050_'), ...migration('0220_'), ...migration('0221_')])

    const location = (source: string, key: string, updated: number) => {
      const tariffs = source === 'own' ? ['T1'] : []
      const object = JSON.stringify({ id: key, evses: [{ uid: 'E1', connectors: [{ id: '1', tariff_ids: tariffs }] }] })
      return env.DB.prepare(`INSERT INTO locations (source, key, country_code, party_id, id, publish, last_updated, revision, object, json_230, json_221)
        VALUES (?, ?, 'NL', 'OLD', ?, 1, ?, 1, ?, '{}', '{}')`).bind(source, `NL*OLD*${key}`, key, updated, object)
    }
    await env.DB.batch([
      location('peer-a', 'BOTH', 30), location('own', 'BOTH', 10), location('peer-b', 'BOTH', 20),
      location('peer-a', 'MOVED', 10), location('peer-b', 'MOVED', 20),
      location('peer-a', 'ONE', 10),
    ])
    const token = (source: string, peer: string | null, uid: string, updated: number) =>
      env.DB.prepare(`INSERT INTO tokens (source, key, country_code, party_id, uid, type, peer_id, last_updated, object)
        VALUES (?, ?, 'DE', 'MSP', ?, 'RFID', ?, ?, '{}')`).bind(source, `DE*MSP*RFID*${uid}`, uid, peer, updated)
    await env.DB.batch([token('received', 'peer-a', 'TAKEN', 50), token('own', null, 'TAKEN', 40), token('received', 'peer-a', 'CACHED', 10)])
    const record = (table: 'sessions' | 'cdrs', source: string, peer: string | null, id: string) => {
      const extra = table === 'sessions' ? ['status, revision', `'ACTIVE', 1`] : ['session_id', 'NULL']
      return env.DB.prepare(`INSERT INTO ${table} (source, key, country_code, party_id, id, peer_id, token_country_code, token_party_id, token_uid, ${extra[0]}, last_updated, object)
        VALUES (?, ?, 'FR', 'CPO', ?, ?, 'DE', 'MSP', 'U1', ${extra[1]}, 5, '{}')`).bind(source, `FR*CPO*${id}`, id, peer)
    }
    await env.DB.batch([
      record('sessions', 'own', null, 'S1'), record('sessions', 'received', 'peer-a', 'S1'), record('sessions', 'received', 'peer-b', 'S2'),
      record('cdrs', 'received', 'peer-a', 'C1'), record('cdrs', 'own', null, 'C1'),
    ])

    await run(migration('0250_'))

    expect(await rows('SELECT key, peer_id, last_updated FROM locations ORDER BY key')).toEqual([
      { key: 'NL*OLD*BOTH', peer_id: null, last_updated: 10 },
      { key: 'NL*OLD*MOVED', peer_id: 'peer-b', last_updated: 20 },
      { key: 'NL*OLD*ONE', peer_id: 'peer-a', last_updated: 10 },
    ])
    expect(await rows('SELECT key, peer_id, last_updated FROM tokens ORDER BY key')).toEqual([
      { key: 'DE*MSP*RFID*CACHED', peer_id: 'peer-a', last_updated: 10 },
      { key: 'DE*MSP*RFID*TAKEN', peer_id: null, last_updated: 40 },
    ])
    expect(await rows('SELECT key, peer_id FROM sessions ORDER BY key')).toEqual([{ key: 'FR*CPO*S1', peer_id: null }, { key: 'FR*CPO*S2', peer_id: 'peer-b' }])
    expect(await rows('SELECT key, peer_id FROM cdrs ORDER BY key')).toEqual([{ key: 'FR*CPO*C1', peer_id: null }])

    // The tariff references follow own locations through the new triggers, and a location that becomes own gains them.
    await env.DB.prepare(`UPDATE locations SET object = object WHERE key = 'NL*OLD*BOTH'`).run()
    await env.DB.prepare(`UPDATE locations SET peer_id = NULL, object = json_set(object, '$.evses[0].connectors[0].tariff_ids', json('["T2"]')) WHERE key = 'NL*OLD*ONE'`).run()
    expect(await rows(`SELECT tariff_key, location_key FROM location_tariff_refs WHERE location_key LIKE 'NL*OLD*%' ORDER BY location_key`)).toEqual([
      { tariff_key: 'NL*OLD*T1', location_key: 'NL*OLD*BOTH' },
      { tariff_key: 'NL*OLD*T2', location_key: 'NL*OLD*ONE' },
    ])
  })
})
