import { adapterFor } from '../version-adapters'
import { z } from 'zod'
import { CiString, CountryCode, DateTime, DisplayText, OcpiString } from '../types'
import type { VersionAdapters } from '../version-adapters'
import type { OcpiVersion } from '../versions'

// mod_tokens.asciidoc, "Object description" and "Data types". The 2.3.0 shape is canonical.

export const TOKEN_TYPES_221 = ['AD_HOC_USER', 'APP_USER', 'OTHER', 'RFID'] as const
export const KNOWN_TOKEN_TYPES = [...TOKEN_TYPES_221, 'EMAID'] as const

/** 2.2.1: a closed enum. */
export const TokenType221 = z.enum(TOKEN_TYPES_221)
/** 2.3.0: an OpenEnum (types.asciidoc): the known values plus any other printable value a peer has agreed on. */
export const TokenType = z.union([z.enum(KNOWN_TOKEN_TYPES), CiString(255).regex(/^[A-Za-z0-9_.-]+$/, 'Must be a TokenType')])
export type TokenType = z.infer<typeof TokenType>

export const WhitelistType = z.enum(['ALWAYS', 'ALLOWED', 'ALLOWED_OFFLINE', 'NEVER'])
export type WhitelistType = z.infer<typeof WhitelistType>

export const AllowedType = z.enum(['ALLOWED', 'BLOCKED', 'EXPIRED', 'NO_CREDIT', 'NOT_ALLOWED'])
export type AllowedType = z.infer<typeof AllowedType>

/** mod_sessions ProfileType, used by Token.default_profile_type. */
export const ProfileType = z.enum(['CHEAP', 'FAST', 'GREEN', 'REGULAR'])
export type ProfileType = z.infer<typeof ProfileType>

export const EnergyContract = z.object({ supplier_name: OcpiString(64), contract_id: OcpiString(64).optional() })
export type EnergyContract = z.infer<typeof EnergyContract>

export const LocationReferences = z.object({ location_id: CiString(36), evse_uids: z.array(CiString(36)).optional() })
export type LocationReferences = z.infer<typeof LocationReferences>

export const Token = z.object({
  country_code: CountryCode,
  party_id: CiString(3),
  uid: CiString(36).min(1),
  type: TokenType,
  contract_id: CiString(36),
  visual_number: OcpiString(64).optional(),
  issuer: OcpiString(64),
  group_id: CiString(36).optional(),
  valid: z.boolean(),
  whitelist: WhitelistType,
  language: OcpiString(2).optional(),
  default_profile_type: ProfileType.optional(),
  energy_contract: EnergyContract.optional(),
  last_updated: DateTime,
})
export type Token = z.infer<typeof Token>

export const Token221 = Token.extend({ type: TokenType221 })
export type Token221 = z.infer<typeof Token221>

/** A PATCH body: any subset of the fields, but last_updated is required (mod_tokens, "PATCH Method"). */
export const TokenPatch = Token.partial().required({ last_updated: true })
export type TokenPatch = z.infer<typeof TokenPatch>
export const TokenPatch221 = Token221.partial().required({ last_updated: true })

export const AuthorizationInfo = z.object({
  allowed: AllowedType,
  token: Token,
  location: LocationReferences.optional(),
  authorization_reference: CiString(36).optional(),
  info: DisplayText.optional(),
})
export type AuthorizationInfo = z.infer<typeof AuthorizationInfo>
export const AuthorizationInfo221 = AuthorizationInfo.extend({ token: Token221 })

/** True when a 2.2.1 peer can be told about a token of this type (2.2.1 has no EMAID, and TokenType is closed there). */
export const isTokenTypeIn221 = (type: string) => (TOKEN_TYPES_221 as readonly string[]).includes(type)

export const tokenVersionsFrom221: VersionAdapters<Token> = {
  '2.3.0': { schema: Token, toCanonical: (token: Token) => token, fromCanonical: (token: Token) => token },
  // 2.3.0 only added EMAID (changelog: TokenType became an OpenEnum); callers never offer other types to 2.2.1 peers.
  '2.2.1': { schema: Token221, toCanonical: (token: Token221): Token => token, fromCanonical: (token: Token): Token221 => token as Token221 },
}

export const tokenPatchVersionsFrom221: VersionAdapters<TokenPatch> = {
  '2.3.0': { schema: TokenPatch, toCanonical: (patch: TokenPatch) => patch, fromCanonical: (patch: TokenPatch) => patch },
  '2.2.1': { schema: TokenPatch221, toCanonical: (patch: TokenPatch): TokenPatch => patch, fromCanonical: (patch: TokenPatch) => patch },
}

export const authorizationInfoVersionsFrom221: VersionAdapters<AuthorizationInfo> = {
  '2.3.0': { schema: AuthorizationInfo, toCanonical: (info: AuthorizationInfo) => info, fromCanonical: (info: AuthorizationInfo) => info },
  '2.2.1': { schema: AuthorizationInfo221, toCanonical: (info: AuthorizationInfo): AuthorizationInfo => info, fromCanonical: (info: AuthorizationInfo) => info },
}

/**
 * Countries a token may charge in: an eMSP-side rule (B3.1 "Whitelisted tokens might be limited to certain countries").
 * 2.3.0 lets platforms add non-specified fields, without an "x-" prefix (transport_and_format, "Non-specified JSON
 * fields"), so 2.3.0 peers get it as `allowed_countries` on the Token and a CPO running ocpi-edge enforces it even for
 * whitelisted tokens; 2.2.1 has no such rule, so 2.2.1 peers never see it.
 */
export const AllowedCountries = z.array(CountryCode).min(1)
export const ALLOWED_COUNTRIES_FIELD = 'allowed_countries'


/** The allowed_countries a 2.3.0 peer sent with a token, or undefined: a malformed non-specified field is ignored, not rejected. */
export function allowedCountriesFromWire(version: OcpiVersion, value: unknown): string[] | undefined {
  if (version !== '2.3.0' || value === null || typeof value !== 'object') return undefined
  const parsed = AllowedCountries.safeParse((value as Record<string, unknown>)[ALLOWED_COUNTRIES_FIELD])
  return parsed.success ? parsed.data.map((country) => country.toUpperCase()) : undefined
}
