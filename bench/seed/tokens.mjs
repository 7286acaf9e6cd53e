// Token rows for the authorize benchmark, in the `tokens` table of migrations/0040_tokens.sql, shaped as
// src/modules/tokens/store.ts writes them (tokenRow): upper-cased key parts, epoch-ms last_updated, canonical JSON.
import { columnsOf, insertRows } from '../lib/d1-file.mjs'

export const TOKEN_COLUMNS = ['key', 'peer_id', 'country_code', 'party_id', 'uid', 'type', 'last_updated', 'object', 'allowed_countries', 'account_status', 'revision']

/** Every `alwaysEvery`-th token is whitelist ALWAYS (served from the CPO cache); the others ALLOWED (real-time). */
export const whitelistOf = (index, alwaysEvery) => (index % alwaysEvery === 0 ? 'ALWAYS' : 'ALLOWED')

/** RFID uids as card readers report them: 7-byte hex. */
export const tokenUidOf = (index) => `04${(index + 1).toString(16).toUpperCase().padStart(12, '0')}`

export function generateToken(index, { countryCode, partyId, alwaysEvery, baseTime }) {
  const uid = tokenUidOf(index)
  return {
    country_code: countryCode,
    party_id: partyId,
    uid,
    type: 'RFID',
    contract_id: `${countryCode}-${partyId}-C${String(index + 1).padStart(8, '0')}-X`,
    visual_number: `${partyId}-${String(index + 1).padStart(9, '0')}`,
    issuer: 'Bench Mobility GmbH',
    group_id: `G${String(Math.floor(index / 4) + 1).padStart(8, '0')}`,
    valid: true,
    whitelist: whitelistOf(index, alwaysEvery),
    language: 'de',
    last_updated: new Date(baseTime + index * 10).toISOString(),
  }
}

/**
 * Writes `count` tokens, `source` 'own' on the eMSP (peer_id null) or 'received' in the CPO's cache (the eMSP's peer id).
 * `tokenKey` is the store's own key function (bundled from src/modules/tokens/store.ts).
 */
export function seedTokens(db, { count, source, peerId = null, tokenKey, ...options }) {
  const columns = columnsOf(db, 'tokens')
  if (columns.join() !== TOKEN_COLUMNS.join()) throw new Error(`tokens table changed: ${columns.join()} (the bench seeder writes ${TOKEN_COLUMNS.join()})`)
  function* rows() {
    for (let index = 0; index < count; index++) {
      const token = generateToken(index, options)
      yield {
        key: tokenKey(token),
        peer_id: source === 'own' ? null : peerId,
        country_code: token.country_code.toUpperCase(),
        party_id: token.party_id.toUpperCase(),
        uid: token.uid.toUpperCase(),
        type: token.type.toUpperCase(),
        last_updated: Date.parse(token.last_updated),
        object: JSON.stringify(token),
        allowed_countries: null,
        account_status: null,
        revision: 1,
      }
    }
  }
  return insertRows(db, 'tokens', rows())
}
