import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { migration, rows, run } from './migration-helpers'

// migrations/0300_bookings_invoices_one_row_per_key.sql on data in the shapes before it: every key keeps one row, the
// hosted party's copy first, then the newest; `source`/`holder` become `peer_id`, and the peer that requested an own
// booking moves to `requested_by_peer_id`; a booking is also one per request, the own one first. Storage is isolated per test, so the tables rebuilt here are the test's own.


describe('migration of bookings and invoice reconciliation records to one row per key', () => {
  it('keeps the own copy, else the newest, with whose copy it is in peer_id', async () => {
    await run(['DROP TABLE bookings', 'DROP TABLE invoice_reconciliation_records', ...migration('0270_'), ...migration('0280_')])

    const booking = (source: string, peer: string, id: string, request: string, updated: number) =>
      env.DB.prepare(`INSERT INTO bookings (source, country_code, party_id, id, peer_id, msp_country_code, msp_party_id, request_id, location_id,
          evse_uid, start_ms, end_ms, reservation_status, object, last_updated, key)
        VALUES (?, 'NL', 'CPO', ?, ?, 'DE', 'MSP', ?, 'LOC1', 'E1', 1, 2, 'RESERVED', '{}', ?, ?)`).bind(source, id, peer, request, updated, `NL*CPO*${id}`)
    await env.DB.batch([
      booking('received', 'peer-a', 'BOTH', 'R1', 30), booking('own', 'peer-b', 'BOTH', 'R1', 10),
      booking('received', 'peer-c', 'MOVED', 'R2', 20),
      booking('own', 'peer-b', 'OWN', 'R3', 5), booking('received', 'peer-a', 'SAME-REQUEST', 'R3', 99),
    ])
    const record = (holder: string, id: string, updated: number) =>
      env.DB.prepare(`INSERT INTO invoice_reconciliation_records (holder, key, country_code, party_id, id, billing, last_updated, object)
        VALUES (?, ?, 'FR', 'CPO', ?, 'DIRECT', ?, '{}')`).bind(holder, `FR*CPO*${id}`, id, updated)
    await env.DB.batch([record('peer-a', 'I1', 50), record('own', 'I1', 40), record('peer-a', 'I2', 10), record('peer-b', 'I2', 20), record('peer-a', 'I3', 1)])

    await run(migration('0300_'))

    expect(await rows('SELECT id, peer_id, requested_by_peer_id, last_updated FROM bookings ORDER BY id')).toEqual([
      { id: 'BOTH', peer_id: null, requested_by_peer_id: 'peer-b', last_updated: 10 },
      { id: 'MOVED', peer_id: 'peer-c', requested_by_peer_id: null, last_updated: 20 },
      { id: 'OWN', peer_id: null, requested_by_peer_id: 'peer-b', last_updated: 5 },
    ])
    expect(await rows('SELECT key, peer_id, last_updated FROM invoice_reconciliation_records ORDER BY key')).toEqual([
      { key: 'FR*CPO*I1', peer_id: null, last_updated: 40 },
      { key: 'FR*CPO*I2', peer_id: 'peer-b', last_updated: 20 },
      { key: 'FR*CPO*I3', peer_id: 'peer-a', last_updated: 1 },
    ])
  })
})
