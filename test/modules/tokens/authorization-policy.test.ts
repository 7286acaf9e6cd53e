import { describe, expect, it } from 'vitest'
import {
  decideFromRealtime, emspAuthorization, outsideAllowedCountries, planAuthorization, unknownTokenWithoutOwner,
  type AuthorizationDecision, type CachedToken, type RealtimeOutcome,
} from '../../../src/modules/tokens/authorization-policy'
import type { WhitelistType } from '../../../src/ocpi/objects/token'

const cached = (whitelist: WhitelistType, fields: Partial<CachedToken> = {}): CachedToken => ({ valid: true, whitelist, allowed_countries: null, ...fields })
const allow = (source: AuthorizationDecision['source']): AuthorizationDecision => ({ allowed: true, reason: 'ALLOWED', source })
const deny = (reason: AuthorizationDecision['reason'], source: AuthorizationDecision['source']): AuthorizationDecision => ({ allowed: false, reason, source })

const ANSWERED_ALLOWED: RealtimeOutcome = { kind: 'answered', allowed: 'ALLOWED' }
const ANSWERED_BLOCKED: RealtimeOutcome = { kind: 'answered', allowed: 'BLOCKED' }
const UNREACHABLE: RealtimeOutcome = { kind: 'unreachable' }
const UNKNOWN: RealtimeOutcome = { kind: 'unknown-token' }
const REFUSED: RealtimeOutcome = { kind: 'refused' }

/** What the CPO side ends up answering: the local decision, or the outcome of asking the eMSP. */
function decide(token: CachedToken | undefined, outcome: RealtimeOutcome, country_code?: string, allowedWhitelist: 'realtime' | 'local' = 'realtime') {
  const plan = planAuthorization(token, { country_code }, { allowedWhitelist })
  return { asked: plan.kind === 'realtime', decision: plan.kind === 'decided' ? plan.decision : decideFromRealtime(plan, outcome) }
}

describe('CPO side: whitelist decision table (mod_tokens WhitelistType)', () => {
  it.each<[string, CachedToken | undefined, RealtimeOutcome, boolean, AuthorizationDecision]>([
    ['ALWAYS: allowed locally, the eMSP is never asked', cached('ALWAYS'), UNREACHABLE, false, allow('whitelist')],
    ['ALLOWED: asks the eMSP and follows its answer', cached('ALLOWED'), ANSWERED_BLOCKED, true, deny('BLOCKED', 'realtime')],
    ['ALLOWED: eMSP says ALLOWED', cached('ALLOWED'), ANSWERED_ALLOWED, true, allow('realtime')],
    ['ALLOWED: eMSP unreachable, whitelisting is allowed', cached('ALLOWED'), UNREACHABLE, true, allow('offline-fallback')],
    ['ALLOWED_OFFLINE: eMSP answers', cached('ALLOWED_OFFLINE'), ANSWERED_BLOCKED, true, deny('BLOCKED', 'realtime')],
    ['ALLOWED_OFFLINE: eMSP unreachable, allowed', cached('ALLOWED_OFFLINE'), UNREACHABLE, true, allow('offline-fallback')],
    ['ALLOWED_OFFLINE: an eMSP error is an answer, not an outage', cached('ALLOWED_OFFLINE'), REFUSED, true, deny('EMSP_ERROR', 'realtime')],
    ['NEVER: eMSP answers ALLOWED', cached('NEVER'), ANSWERED_ALLOWED, true, allow('realtime')],
    ['NEVER: eMSP unreachable, refused', cached('NEVER'), UNREACHABLE, true, deny('EMSP_UNREACHABLE', 'realtime')],
    ['NEVER: eMSP no longer knows the token', cached('NEVER'), UNKNOWN, true, deny('UNKNOWN_TOKEN', 'realtime')],
    ['invalid + ALWAYS: refused locally', cached('ALWAYS', { valid: false }), ANSWERED_ALLOWED, false, deny('INVALID_TOKEN', 'whitelist')],
    ['invalid + NEVER: asked anyway, the state may have changed', cached('NEVER', { valid: false }), ANSWERED_ALLOWED, true, allow('realtime')],
    ['invalid + ALLOWED_OFFLINE: offline it stays invalid', cached('ALLOWED_OFFLINE', { valid: false }), UNREACHABLE, true, deny('INVALID_TOKEN', 'offline-fallback')],
    ['unknown token: the eMSP is asked', undefined, ANSWERED_ALLOWED, true, allow('realtime')],
    ['unknown token: 2004', undefined, UNKNOWN, true, deny('UNKNOWN_TOKEN', 'realtime')],
    ['unknown token: nobody answers', undefined, UNREACHABLE, true, deny('UNKNOWN_TOKEN', 'realtime')],
  ])('%s', (_name, token, outcome, asked, expected) => {
    expect(decide(token, outcome)).toEqual({ asked, decision: expected })
  })

  it('ALLOWED decided locally when the CPO chooses the whitelist', () => {
    expect(decide(cached('ALLOWED'), ANSWERED_BLOCKED, undefined, 'local')).toEqual({ asked: false, decision: allow('whitelist') })
  })

  it.each<[string, CachedToken, RealtimeOutcome, string | undefined, AuthorizationDecision]>([
    ['ALWAYS in an allowed country', cached('ALWAYS', { allowed_countries: ['DE', 'AT'] }), UNREACHABLE, 'AT', allow('whitelist')],
    ['ALWAYS elsewhere', cached('ALWAYS', { allowed_countries: ['DE', 'AT'] }), UNREACHABLE, 'NL', deny('NOT_ALLOWED', 'whitelist')],
    ['ALWAYS, country of the charge point unknown', cached('ALWAYS', { allowed_countries: ['DE', 'AT'] }), UNREACHABLE, undefined, allow('whitelist')],
    ['ALLOWED_OFFLINE fallback elsewhere', cached('ALLOWED_OFFLINE', { allowed_countries: ['DE'] }), UNREACHABLE, 'FR', deny('NOT_ALLOWED', 'offline-fallback')],
    ['the eMSP decides when it answers', cached('ALLOWED', { allowed_countries: ['DE'] }), ANSWERED_ALLOWED, 'FR', allow('realtime')],
  ])('country restriction: %s', (_name, token, outcome, country, expected) => {
    expect(decide(token, outcome, country).decision).toEqual(expected)
  })

  it('a token nobody can be asked about is unknown', () => {
    expect(unknownTokenWithoutOwner()).toEqual(deny('UNKNOWN_TOKEN', 'whitelist'))
  })

  it('compares countries case-insensitively', () => {
    expect(outsideAllowedCountries(['de'], 'DE')).toBe(false)
    expect(outsideAllowedCountries(null, 'DE')).toBe(false)
    expect(outsideAllowedCountries([], 'DE')).toBe(false)
  })
})

describe('eMSP side: real-time authorize answer', () => {
  const good = { valid: true, allowed_countries: null, account_status: null }
  it.each([
    ['valid, no rules', good, { has_location: false }, 'ALLOWED'],
    ['invalid', { ...good, valid: false }, { has_location: false }, 'BLOCKED'],
    ['invalid and expired', { ...good, valid: false, account_status: 'EXPIRED' as const }, { has_location: false }, 'EXPIRED'],
    ['out of credit', { ...good, account_status: 'NO_CREDIT' as const }, { has_location: true }, 'NO_CREDIT'],
    ['blocked account', { ...good, account_status: 'BLOCKED' as const }, { has_location: true }, 'BLOCKED'],
    ['country rule, no LocationReferences: 2002', { ...good, allowed_countries: ['DE'] }, { has_location: false }, 'NEED_LOCATION'],
    ['country rule, location in DE', { ...good, allowed_countries: ['DE', 'AT'] }, { has_location: true, location_country: 'DE', requester_country: 'NL' }, 'ALLOWED'],
    ['country rule, location in NL', { ...good, allowed_countries: ['DE', 'AT'] }, { has_location: true, location_country: 'NL', requester_country: 'DE' }, 'NOT_ALLOWED'],
    ['country rule, unknown location of an AT CPO', { ...good, allowed_countries: ['DE', 'AT'] }, { has_location: true, requester_country: 'AT' }, 'ALLOWED'],
    ['country rule, nothing tells the country', { ...good, allowed_countries: ['DE'] }, { has_location: true }, 'NOT_ALLOWED'],
  ] as const)('%s -> %s', (_name, token, place, expected) => {
    expect(emspAuthorization(token, place)).toBe(expected)
  })
})
