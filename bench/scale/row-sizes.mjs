// Bytes per row of the tables that grow with a CPO's business, measured rather than guessed: every migration applied
// to an in-memory SQLite (D1 is SQLite), `n` realistic rows inserted per table, and each table's pages and its
// indexes' pages counted with SQLite's `dbstat` virtual table. Objects are the spec's own examples, grown to a
// realistic session: one charging period per meter reading (every minute of a 45-minute session).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateLocation } from '../seed/location-generator.mjs'

const EXAMPLES = 'test/fixtures/spec/2.3.0/examples'
const example = (name) => JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8'))

export const ROW_ASSUMPTIONS = {
  session_minutes: 45,
  charging_period_every_minutes: 1,
  evses_per_location: 3,
}

/** Charging periods of a session of `minutes`: one per meter reading, ENERGY and TIME as the ChargingSession writes them. */
function chargingPeriods(start, minutes) {
  return Array.from({ length: minutes }, (_, index) => ({
    start_date_time: new Date(start + index * 60_000).toISOString().replace('.000Z', 'Z'),
    dimensions: [{ type: 'ENERGY', volume: 0.183 }, { type: 'TIME', volume: 0.0167 }],
    tariff_id: 'AC-REGULAR',
  }))
}

const BUILDERS = {
  locations: (index) => {
    const location = generateLocation(index, { count: 1_000_000, countryCode: 'NL', partyId: 'CPO', baseTime: Date.UTC(2026, 0, 1) })
    const json = JSON.stringify(location)
    // json_230 and json_221 are the object as served per version: about the object's own length each.
    return { key: `NL*CPO*${location.id}`, peer_id: null, country_code: 'NL', party_id: 'CPO', id: location.id, publish: 1, last_updated: Date.parse(location.last_updated), revision: 1, object: json, json_230: json, json_221: json }
  },
  sessions: (index) => {
    const start = Date.UTC(2026, 0, 1) + index * 37_000
    const session = { ...example('session_example_2_short_finished.json'), country_code: 'NL', party_id: 'CPO', id: crypto.randomUUID(), cdr_token: { country_code: 'DE', party_id: 'MSP', uid: `04${String(index).padStart(12, '0')}`, type: 'RFID', contract_id: `DE-MSP-C${String(index).padStart(8, '0')}-X` }, location_id: `LOC${index % 100_000}`, evse_uid: `LOC${index % 100_000}-1`, charging_periods: chargingPeriods(start, ROW_ASSUMPTIONS.session_minutes) }
    return { key: `NL*CPO*${session.id}`, peer_id: null, country_code: 'NL', party_id: 'CPO', id: session.id, token_country_code: 'DE', token_party_id: 'MSP', token_uid: session.cdr_token.uid, status: 'COMPLETED', last_updated: start + 2_700_000, revision: 47, object: JSON.stringify(session), charging_preferences: null, period_versions: JSON.stringify({ '2.2.1': session.charging_periods.length, '2.3.0': session.charging_periods.length }) }
  },
  cdrs: (index) => {
    const start = Date.UTC(2026, 0, 1) + index * 37_000
    const cdr = { ...example('cdr_example.json'), country_code: 'NL', party_id: 'CPO', id: `CDR${String(index).padStart(10, '0')}`, session_id: crypto.randomUUID(), cdr_token: { country_code: 'DE', party_id: 'MSP', uid: `04${String(index).padStart(12, '0')}`, type: 'RFID', contract_id: `DE-MSP-C${String(index).padStart(8, '0')}-X` }, charging_periods: chargingPeriods(start, ROW_ASSUMPTIONS.session_minutes) }
    return { key: `NL*CPO*${cdr.id}`, peer_id: null, country_code: 'NL', party_id: 'CPO', id: cdr.id, token_country_code: 'DE', token_party_id: 'MSP', token_uid: cdr.cdr_token.uid, session_id: cdr.session_id, last_updated: start + 2_800_000, object: JSON.stringify(cdr) }
  },
  tokens: (index) => {
    const token = { ...example('token_example_2_full_rfid.json'), country_code: 'DE', party_id: 'MSP', uid: `04${String(index).padStart(12, '0')}`, contract_id: `DE-MSP-C${String(index).padStart(8, '0')}-X` }
    return { key: `DE*MSP*RFID*${token.uid}`, peer_id: 'peer-msp', country_code: 'DE', party_id: 'MSP', uid: token.uid, type: 'RFID', last_updated: Date.UTC(2026, 0, 1) + index, object: JSON.stringify(token), allowed_countries: null, account_status: null, revision: 1 }
  },
  authorizations: (index) => ({
    id: crypto.randomUUID(), at: Date.UTC(2026, 0, 1) + index * 1000, side: 'cpo', country_code: 'NL', party_id: 'CPO', token_country_code: 'DE', token_party_id: 'MSP',
    token_uid: `04${String(index).padStart(12, '0')}`, token_type: 'RFID', location_id: `LOC${index % 100_000}`, evse_uids: JSON.stringify([`LOC${index % 100_000}-1`]),
    allowed: 1, reason: 'ALLOWED', source: 'realtime', authorization_reference: crypto.randomUUID().slice(0, 36), peer_id: 'peer-msp',
  }),
  commands: (index) => {
    const id = crypto.randomUUID()
    const at = Date.UTC(2026, 0, 1) + index * 1000
    const object = {
      id, command: 'START_SESSION', state: 'ACCEPTED', final: true,
      request: { response_url: `https://emsp.example.com/ocpi/2.3.0/sender/commands/START_SESSION/${id}`, token: example('token_example_1_app_user.json'), location_id: `LOC${index % 100_000}`, evse_uid: `LOC${index % 100_000}-1`, connector_id: '1' },
      response: { result: 'ACCEPTED', timeout: 30 }, result: { result: 'ACCEPTED' },
    }
    return { key: `cpo:${id}`, side: 'cpo', peer_id: 'peer-msp', command: 'START_SESSION', state: 'ACCEPTED', created_at: at, last_updated: at + 2000, object: JSON.stringify(object) }
  },
}

/** { table: { bytes_per_row, table_bytes, index_bytes, rows } } measured over `rows` rows per table. */
export async function measureRowSizes(rows = 2000) {
  const { DatabaseSync } = await import('node:sqlite')
  const db = new DatabaseSync(':memory:')
  for (const file of readdirSync('migrations').filter((name) => name.endsWith('.sql')).sort()) db.exec(readFileSync(join('migrations', file), 'utf8'))
  const sizes = {}
  for (const [table, build] of Object.entries(BUILDERS)) {
    const columns = db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all().map((row) => row.name)
    const first = build(0)
    const missing = columns.filter((column) => !(column in first))
    if (missing.length > 0) throw new Error(`${table}: the row builder lacks columns ${missing.join(', ')} (the migrations changed)`)
    const statement = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
    db.exec('BEGIN')
    for (let index = 0; index < rows; index++) {
      const row = index === 0 ? first : build(index)
      statement.run(...columns.map((column) => row[column] ?? null))
    }
    db.exec('COMMIT')
  }
  const owners = new Map(db.prepare("SELECT name, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index')").all().map((row) => [row.name, row.tbl_name]))
  for (const { name, bytes } of db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all()) {
    const table = owners.get(name)
    if (!(table in BUILDERS)) continue
    sizes[table] ??= { rows, table_bytes: 0, index_bytes: 0 }
    if (name === table) sizes[table].table_bytes += bytes
    else sizes[table].index_bytes += bytes
  }
  for (const size of Object.values(sizes)) size.bytes_per_row = Math.round((size.table_bytes + size.index_bytes) / rows)
  db.close()
  return sizes
}
