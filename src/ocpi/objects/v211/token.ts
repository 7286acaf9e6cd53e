import { z } from 'zod'
import { DateTime, DisplayText } from '../../types'
import type { Owner, VersionAdapter } from '../../version-adapters'
import { AllowedType, type AuthorizationInfo, type LocationReferences, type Token, type TokenPatch, WhitelistType } from '../token'
import { defined, isIn, type Loss, NO_OWNER, String211, Text211 } from './shared'

// Tokens module of OCPI 2.1.1 (mod_tokens.md, "Object description" and "Data types"), and the adapters between it and
// the canonical (2.3.0) Token, AuthorizationInfo and LocationReferences. `token211Losses` lists what does not survive.

const TOKEN_TYPES = ['OTHER', 'RFID'] as const
export const TokenType211 = z.enum(TOKEN_TYPES)

export const Token211 = z.object({
  uid: String211(36),
  type: TokenType211,
  auth_id: String211(36),
  visual_number: Text211(64).optional(),
  issuer: Text211(64),
  valid: z.boolean(),
  whitelist: WhitelistType,
  language: String211(2).optional(),
  last_updated: DateTime,
})
export type Token211 = z.infer<typeof Token211>

/** PATCH (mod_tokens 2.1.2): any subset of the fields; the spec's example has no last_updated. */
export const TokenPatch211 = Token211.partial()
export type TokenPatch211 = z.infer<typeof TokenPatch211>

export const LocationReferences211 = z.object({
  location_id: String211(39),
  evse_uids: z.array(String211(39)).optional(),
  connector_ids: z.array(String211(36)).optional(),
})
export type LocationReferences211 = z.infer<typeof LocationReferences211>

export const AuthorizationInfo211 = z.object({
  allowed: AllowedType,
  location: LocationReferences211.optional(),
  info: DisplayText.optional(),
})
export type AuthorizationInfo211 = z.infer<typeof AuthorizationInfo211>

// ---- conversions ----

const isTokenType211 = isIn(TOKEN_TYPES)
const printableAscii = /^[\x20-\x7E]*$/

/** 2.2 renamed auth_id to contract_id: "Uniquely identifies the EV Driver contract token within the eMSP's platform". */
function tokenFieldsFrom211<T extends Partial<Token211>>({ auth_id, ...token }: T) {
  return defined({ ...token, contract_id: auth_id })
}

/** 2.1.1 TokenType knows OTHER and RFID only: an app, ad hoc or EMAID token goes out as OTHER. */
function tokenFieldsTo211<T extends Partial<Token>>(token: T) {
  const { country_code: _country, party_id: _party, contract_id, group_id: _group, default_profile_type: _profile, energy_contract: _contract, type, language, ...rest } = token
  return defined({
    ...rest,
    type: type === undefined ? undefined : isTokenType211(type) ? type : ('OTHER' as const),
    auth_id: contract_id,
    language: language !== undefined && printableAscii.test(language) ? language : undefined,
  })
}

export const tokenFrom211 = (token: Token211, owner: Owner = NO_OWNER): Token => ({ ...tokenFieldsFrom211(token), country_code: owner.country_code, party_id: owner.party_id }) as Token
export const tokenTo211 = (token: Token): Token211 => tokenFieldsTo211(token) as Token211

export const locationReferencesFrom211 = ({ connector_ids: _connectors, ...references }: LocationReferences211): LocationReferences => references
export const locationReferencesTo211 = (references: LocationReferences): LocationReferences211 => references

/**
 * A 2.1.1 AuthorizationInfo names no token: the one asked about is the request's (mod_tokens 2.2.2), and only the
 * caller knows it. Read without one, the canonical info has no `token`.
 */
export function authorizationInfoFrom211({ location, ...info }: AuthorizationInfo211, token?: Token): AuthorizationInfo {
  return defined({ ...info, token, location: location && locationReferencesFrom211(location) }) as AuthorizationInfo
}

export function authorizationInfoTo211({ allowed, location, info }: AuthorizationInfo): AuthorizationInfo211 {
  return defined({ allowed, info, location: location && locationReferencesTo211(location) })
}

// ---- adapters ----

export const token211: VersionAdapter<Token, Token211> = { schema: Token211, toCanonical: tokenFrom211, fromCanonical: tokenTo211 }
// A 2.1.1 PATCH need not carry last_updated: the canonical patch then has none, and the receiver stamps the time.
export const tokenPatch211: VersionAdapter<TokenPatch, TokenPatch211> = {
  schema: TokenPatch211,
  toCanonical: (patch) => tokenFieldsFrom211(patch) as TokenPatch,
  fromCanonical: (patch) => tokenFieldsTo211(patch) as TokenPatch211,
}
export const locationReferences211: VersionAdapter<LocationReferences, LocationReferences211> = {
  schema: LocationReferences211,
  toCanonical: locationReferencesFrom211,
  fromCanonical: locationReferencesTo211,
}
export const authorizationInfo211: VersionAdapter<AuthorizationInfo, AuthorizationInfo211> = {
  schema: AuthorizationInfo211,
  toCanonical: (info) => authorizationInfoFrom211(info),
  fromCanonical: authorizationInfoTo211,
}

// ---- what is lost ----

const TOKENS = 'mod_tokens.md'
export const token211Losses: readonly Loss[] = [
  { object: 'Token', field: 'country_code', direction: 'both', what: 'not sent; read from the connection\'s party', why: '2.1.1 objects do not name their party; a 2.1.1 connection serves one party', spec: 'credentials.md 2.1' },
  { object: 'Token', field: 'party_id', direction: 'both', what: 'not sent; read from the connection\'s party', why: 'as country_code', spec: 'credentials.md 2.1' },
  { object: 'Token', field: 'auth_id', canonical: 'contract_id', direction: 'both', what: 'renamed', why: 'renamed in 2.2', spec: `${TOKENS} 3.2` },
  { object: 'Token', field: 'type', direction: 'to 2.1.1', what: 'AD_HOC_USER, APP_USER, EMAID and other values become OTHER', why: '2.1.1 TokenType has OTHER and RFID only', spec: `${TOKENS} 4.3` },
  { object: 'Token', field: 'group_id', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.2', spec: `${TOKENS} 3.2` },
  { object: 'Token', field: 'default_profile_type', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.2', spec: `${TOKENS} 3.2` },
  { object: 'Token', field: 'energy_contract', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.2', spec: `${TOKENS} 3.2` },
  { object: 'Token', field: 'language', direction: 'to 2.1.1', what: 'dropped when not printable ASCII', why: 'string(2) is printable ASCII in 2.1.1', spec: 'types.md 1.5' },
  { object: 'Token PATCH', field: 'last_updated', direction: 'from 2.1.1', what: 'absent when the PATCH has none; the receiver stamps the time of receipt', why: 'not required in a 2.1.1 PATCH', spec: `${TOKENS} 2.1.2` },
  { object: 'AuthorizationInfo', field: 'token', direction: 'both', what: 'not sent; read as absent (the caller adds the token it asked about, authorizationInfoFrom211)', why: 'added in 2.2; a 2.1.1 answer is about the token in the request URL', spec: `${TOKENS} 3.1` },
  { object: 'AuthorizationInfo', field: 'authorization_reference', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.2', spec: `${TOKENS} 3.1` },
  { object: 'LocationReferences', field: 'connector_ids', direction: 'from 2.1.1', what: 'dropped', why: 'removed in 2.2: an authorization is for a Location and its EVSEs', spec: `${TOKENS} 4.2` },
  { object: 'LocationReferences', field: 'location_id', direction: 'from 2.1.1', what: 'kept as is; 37 to 39 characters is longer than 2.2.1 and 2.3.0 allow (also evse_uids)', why: 'string(39) in 2.1.1, CiString(36) since 2.2', spec: `${TOKENS} 4.2` },
]
