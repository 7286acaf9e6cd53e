import type { AccountStatus } from '../../db/schema'
import type { AllowedType, WhitelistType } from '../../ocpi/objects/token'

/**
 * Who may charge: the pure rules of B3.1 (local authorization), no I/O, tested alone.
 * - CPO side: from the cached token and its `whitelist` (mod_tokens, WhitelistType), decide locally or ask the eMSP
 *   in real time, and what to answer when the eMSP cannot be reached.
 * - eMSP side: what a real-time authorize answers for one of our own tokens.
 */

export type AuthorizationSource = 'whitelist' | 'realtime' | 'offline-fallback'

/** The eMSP's AllowedType, or why the CPO side decided without one. */
export type AuthorizationReason = AllowedType | 'UNKNOWN_TOKEN' | 'INVALID_TOKEN' | 'EMSP_UNREACHABLE' | 'EMSP_ERROR'

export interface AuthorizationDecision {
  allowed: boolean
  reason: AuthorizationReason
  source: AuthorizationSource
}

/** What the CPO's token cache knows about a token. */
export interface CachedToken {
  valid: boolean
  whitelist: WhitelistType
  allowed_countries: readonly string[] | null
}

export interface ChargingPlace {
  /** Country of the location where the charge point is, when known. */
  country_code?: string
}

export interface CpoPolicyOptions {
  /**
   * WhitelistType ALLOWED: "The CPO may choose which version of authorization to use". 'realtime' (default) asks the
   * eMSP and falls back to the cache when it cannot answer; 'local' decides from the cache without asking.
   */
  allowedWhitelist: 'realtime' | 'local'
}

export type AuthorizationPlan =
  | { kind: 'decided'; decision: AuthorizationDecision }
  | { kind: 'realtime'; whenUnreachable: AuthorizationDecision }

/** The eMSP's real-time answer, as the CPO side classifies it. */
export type RealtimeOutcome =
  | { kind: 'answered'; allowed: AllowedType }
  | { kind: 'unknown-token' } // 2004
  | { kind: 'refused' } // another 2xxx: the eMSP answered, but not with an authorization
  | { kind: 'unreachable' } // network error, timeout, HTTP 5xx, 3xxx/4xxx, or no peer serves the token's owner

const DEFAULT_OPTIONS: CpoPolicyOptions = { allowedWhitelist: 'realtime' }

export function planAuthorization(token: CachedToken | undefined, place: ChargingPlace, options: CpoPolicyOptions = DEFAULT_OPTIONS): AuthorizationPlan {
  // Not in the cache: the eMSP may still know it (mod_tokens, "Real-time authorization": an eMSP that does not push
  // its full list is asked in real time); nobody answering means nobody vouches for it.
  if (!token) return realtime(deny('UNKNOWN_TOKEN', 'realtime'))
  if (!token.valid) {
    // WhitelistType: "If a Token is: valid = false, when the whitelist field requires real-time authorization, the CPO
    // SHALL do a real-time authorization, the state of the Token might have changed." Offline, invalid stays invalid.
    if (token.whitelist === 'ALWAYS') return decided(deny('INVALID_TOKEN', 'whitelist'))
    return realtime(deny('INVALID_TOKEN', 'offline-fallback'))
  }
  switch (token.whitelist) {
    case 'ALWAYS':
      return decided(localDecision(token, place, 'whitelist'))
    case 'ALLOWED':
      if (options.allowedWhitelist === 'local') return decided(localDecision(token, place, 'whitelist'))
      return realtime(localDecision(token, place, 'offline-fallback'))
    case 'ALLOWED_OFFLINE':
      // "when the CPO cannot get a response from the eMSP ..., the CPO shall allow this Token to be used."
      return realtime(localDecision(token, place, 'offline-fallback'))
    case 'NEVER':
      return realtime(deny('EMSP_UNREACHABLE', 'realtime'))
  }
}

/** The final decision once the eMSP was asked (or could not be). */
export function decideFromRealtime(plan: Extract<AuthorizationPlan, { kind: 'realtime' }>, outcome: RealtimeOutcome): AuthorizationDecision {
  switch (outcome.kind) {
    case 'answered':
      return { allowed: outcome.allowed === 'ALLOWED', reason: outcome.allowed, source: 'realtime' }
    case 'unknown-token':
      return deny('UNKNOWN_TOKEN', 'realtime')
    case 'refused':
      return deny('EMSP_ERROR', 'realtime')
    case 'unreachable':
      return plan.whenUnreachable
  }
}

/** A token the cache does not know and whose owner cannot be told from the uid: there is nobody to ask. */
export const unknownTokenWithoutOwner = (): AuthorizationDecision => deny('UNKNOWN_TOKEN', 'whitelist')

/** True when the token is limited to some countries and the charging place is known to be elsewhere. */
export function outsideAllowedCountries(allowedCountries: readonly string[] | null | undefined, country_code: string | undefined): boolean {
  if (!allowedCountries?.length || !country_code) return false
  return !allowedCountries.some((allowed) => allowed.toUpperCase() === country_code.toUpperCase())
}

/** What one of our own tokens may do, as seen by the eMSP that owns it. */
export interface OwnToken {
  valid: boolean
  allowed_countries: readonly string[] | null
  account_status: AccountStatus | null
}

export interface AuthorizeRequestPlace {
  /** LocationReferences came with the request. */
  has_location: boolean
  /** Country of that location, when the eMSP has received it from the CPO. */
  location_country?: string
  /** Country of the requesting CPO party: the best evidence for a location the eMSP has not received (a private charger). */
  requester_country?: string
}

/**
 * The eMSP's answer to a real-time authorize (mod_tokens, AllowedType), or 'NEED_LOCATION' when the token is limited
 * to some countries and the request carries no LocationReferences: the spec's 2002 "too little information".
 */
export function emspAuthorization(token: OwnToken, place: AuthorizeRequestPlace): AllowedType | 'NEED_LOCATION' {
  if (!token.valid) return token.account_status === 'EXPIRED' ? 'EXPIRED' : 'BLOCKED'
  if (token.account_status) return token.account_status
  if (token.allowed_countries?.length) {
    if (!place.has_location) return 'NEED_LOCATION'
    const country = place.location_country ?? place.requester_country
    if (!country || outsideAllowedCountries(token.allowed_countries, country)) return 'NOT_ALLOWED'
  }
  return 'ALLOWED'
}

function localDecision(token: CachedToken, place: ChargingPlace, source: AuthorizationSource): AuthorizationDecision {
  if (outsideAllowedCountries(token.allowed_countries, place.country_code)) return deny('NOT_ALLOWED', source)
  return { allowed: true, reason: 'ALLOWED', source }
}

const deny = (reason: AuthorizationReason, source: AuthorizationSource): AuthorizationDecision => ({ allowed: false, reason, source })
const decided = (decision: AuthorizationDecision): AuthorizationPlan => ({ kind: 'decided', decision })
const realtime = (whenUnreachable: AuthorizationDecision): AuthorizationPlan => ({ kind: 'realtime', whenUnreachable })
