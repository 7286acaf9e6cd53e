import { ingestKey } from '../../ocpi/ingest'
import { assertPeerIsCpoOrHub } from '../../peers/routing'
import { readObjectBody } from '../../ocpi/object-body'
import type { Context } from 'hono'
import type { OcpiEnv } from '../../ocpi/context'
import { OcpiError } from '../../ocpi/errors'
import { TokenType, TokenType221, type Token } from '../../ocpi/objects/token'
import type { TokenRef } from './store'

// Request helpers shared by the OCPI interfaces and the management routes of the tokens module.

/** The `type` URL parameter in the peer's version (2.2.1: closed enum; 2.3.0: OpenEnum), or undefined when omitted. */
export function tokenTypeQuery(c: Context<OcpiEnv>): string | undefined {
  const value = c.req.query('type')
  if (value === undefined || value === '') return undefined
  const parsed = (c.get('version') === '2.2.1' ? TokenType221 : TokenType).safeParse(value.toUpperCase())
  if (!parsed.success) throw new OcpiError(2001, `type: ${value} is not a TokenType in OCPI ${c.get('version')}`, { path: 'type' })
  return parsed.data
}

/** Tokens are shared with CPOs (and hubs that serve them), never with other eMSPs (mod_tokens: "gives CPOs knowledge"). */
export const assertMayReceiveTokens = (c: Context<OcpiEnv>) => assertPeerIsCpoOrHub(c, 'Tokens')

/** A Token or a partial one; 2001 for any other JSON. */
export const readTokenBody = (c: Context) => readObjectBody(c, 'a Token object')

/** mod_tokens, PUT: country_code and party_id in the URL "SHALL be the same value as ... in the Token object"; uid and type too. */
export function assertSameToken(ref: TokenRef, token: Token) {
  for (const field of ['country_code', 'party_id', 'uid', 'type'] as const) {
    if (ref[field].toUpperCase() !== token[field].toUpperCase()) {
      throw new OcpiError(2001, `${field}: ${token[field]} does not match ${ref[field]} in the URL`, { path: field })
    }
  }
}

/** The key of a token's ingest warnings (src/ocpi/ingest.ts): party, uid and type, as the token is keyed. */
export const tokenWarningsKey = (token: { country_code: string; party_id: string; uid: string; type: string }) =>
  ingestKey(token.country_code, token.party_id, token.uid, token.type)
