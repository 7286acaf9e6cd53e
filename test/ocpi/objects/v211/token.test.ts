import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AuthorizationInfo, LocationReferences, Token } from '../../../../src/ocpi/objects/token'
import {
  AuthorizationInfo211, authorizationInfo211, authorizationInfoFrom211, LocationReferences211, Token211, token211, token211Losses, TokenPatch211, tokenPatch211,
} from '../../../../src/ocpi/objects/v211/token'
import { dateTime, id, optional, patchOf, text } from './arbitraries'
import { expectDocumented, expectLossesDeclared, expectStable } from './checks'

const owner = { country_code: 'NL', party_id: 'TNM' }
const example = Token211.parse({
  uid: '012345678', type: 'RFID', auth_id: 'DE8ACC12E46L89', visual_number: 'DF000-2001-8999', issuer: 'TheNewMotion', valid: true, whitelist: 'ALLOWED', last_updated: '2015-06-29T22:39:09Z',
})

const token211Arbitrary = fc.record({
  uid: id(36), type: fc.constantFrom('OTHER' as const, 'RFID' as const), auth_id: id(36), visual_number: optional(text(64)), issuer: text(64), valid: fc.boolean(),
  whitelist: fc.constantFrom('ALWAYS' as const, 'ALLOWED' as const, 'ALLOWED_OFFLINE' as const, 'NEVER' as const), language: optional(fc.constantFrom('en', 'nl')), last_updated: dateTime,
}).map((token) => Token211.parse(JSON.parse(JSON.stringify(token))))

describe('2.1.1 Token', () => {
  it('reads auth_id as contract_id and the party from the connection', () => {
    expect(token211.toCanonical(example, owner)).toStrictEqual({
      country_code: 'NL', party_id: 'TNM', uid: '012345678', type: 'RFID', contract_id: 'DE8ACC12E46L89', visual_number: 'DF000-2001-8999', issuer: 'TheNewMotion',
      valid: true, whitelist: 'ALLOWED', last_updated: '2015-06-29T22:39:09Z',
    })
  })

  it('sends an app token as OTHER, without what 2.1.1 lacks', () => {
    const canonical = Token.parse({ ...token211.toCanonical(example, owner), type: 'APP_USER', group_id: 'G1', default_profile_type: 'GREEN', energy_contract: { supplier_name: 'Green' } })
    expect(token211.fromCanonical(canonical)).toStrictEqual({ ...example, type: 'OTHER' })
  })

  it('converts a PATCH without inventing last_updated', () => {
    expect(tokenPatch211.toCanonical(TokenPatch211.parse({ valid: false }))).toStrictEqual({ valid: false })
    expect(tokenPatch211.fromCanonical({ contract_id: 'C', group_id: 'G', last_updated: '2015-06-29T22:39:09Z' })).toStrictEqual({ auth_id: 'C', last_updated: '2015-06-29T22:39:09Z' })
  })

  it('reads an AuthorizationInfo without a token, or with the one the caller asked about', () => {
    const wire = AuthorizationInfo211.parse({ allowed: 'ALLOWED', location: { location_id: 'L1', evse_uids: ['E1'], connector_ids: ['1'] } })
    expect(authorizationInfo211.toCanonical(wire)).toStrictEqual({ allowed: 'ALLOWED', location: { location_id: 'L1', evse_uids: ['E1'] } })
    const token = token211.toCanonical(example, owner)
    expect(AuthorizationInfo.parse(authorizationInfoFrom211(wire, token))).toStrictEqual({ allowed: 'ALLOWED', token, location: { location_id: 'L1', evse_uids: ['E1'] } })
    expect(authorizationInfo211.fromCanonical({ allowed: 'BLOCKED', token, authorization_reference: 'R', info: { language: 'en', text: 'No' } }))
      .toStrictEqual({ allowed: 'BLOCKED', info: { language: 'en', text: 'No' } })
  })

  it('lists every field that differs between the versions as lost', () => {
    expectLossesDeclared(token211Losses, 'Token', Token, Token211)
    expectLossesDeclared(token211Losses, 'AuthorizationInfo', AuthorizationInfo, AuthorizationInfo211)
    expectLossesDeclared(token211Losses, 'LocationReferences', LocationReferences, LocationReferences211)
  })

  it('docs/ocpi-2.1.1.md shows the same losses', () => expectDocumented(token211Losses))

  it('wire -> canonical -> wire is stable after one round, and canonical -> 2.1.1 is valid 2.1.1', () => {
    fc.assert(fc.property(token211Arbitrary, (wire) => expectStable(token211, wire, owner)), { numRuns: 200 })
    fc.assert(fc.property(patchOf(token211Arbitrary), (wire) => expectStable(tokenPatch211, wire, owner)), { numRuns: 200 })
    const canonical = fc.tuple(token211Arbitrary, fc.constantFrom('AD_HOC_USER', 'APP_USER', 'EMAID', 'RFID', 'OTHER', 'X_CUSTOM'), optional(id(36)))
      .map(([wire, type, group_id]) => Token.parse({ ...token211.toCanonical(wire, owner), type, ...(group_id && { group_id }), default_profile_type: 'FAST' }))
    fc.assert(fc.property(canonical, (token) => {
      expect(Token211.safeParse(token211.fromCanonical(token)).error).toBeUndefined()
      expect(TokenPatch211.safeParse(tokenPatch211.fromCanonical(token)).error).toBeUndefined()
    }), { numRuns: 200 })
  })
})
