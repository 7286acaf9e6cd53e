import { describe, expect, it } from 'vitest'
import type { CredentialsRole } from '../../src/db/schema'
import { decideRoles, refusal, type RoleFacts } from '../../src/peers/grants'
import type { Role } from '../../src/ocpi/types'

// The role-grant rule alone (docs/security.md, "Role grants"), one row per step of its order.

const role = (name: Role, party_id: string, country_code = 'DE'): CredentialsRole => ({ role: name, country_code, party_id, business_details: { name: party_id } })
const facts = (claimed: CredentialsRole[], overrides: Partial<RoleFacts> = {}): RoleFacts =>
  ({ claimed, grants: null, held: [], firstRegistration: true, hosted: [], heldByOthers: [], ...overrides })
const outcomes = (input: RoleFacts) => decideRoles(input).map((decision) => decision.outcome)

describe('decideRoles', () => {
  it.each([
    ['a free party at the first registration', facts([role('EMSP', 'AAA')]), 'granted'],
    ['a free party named by a later PUT', facts([role('EMSP', 'AAA')], { firstRegistration: false }), 'pending'],
    ['HUB without a grant', facts([role('HUB', 'HUB')]), 'pending'],
    ['HUB with a grant', facts([role('HUB', 'HUB')], { grants: [{ country_code: 'DE', party_id: 'HUB', role: 'HUB' }] }), 'granted'],
    ['a hosted party', facts([role('EMSP', 'OWN', 'nl')], { hosted: [{ country_code: 'NL', party_id: 'OWN' }] }), 'refused'],
    ["another peer's party", facts([role('CPO', 'TKN')], { heldByOthers: [{ country_code: 'DE', party_id: 'TKN', peer_id: 'p2' }] }), 'refused'],
    ["another peer's party, granted by the operator", facts([role('CPO', 'TKN')], {
      heldByOthers: [{ country_code: 'DE', party_id: 'TKN', peer_id: 'p2' }], grants: [{ country_code: 'DE', party_id: 'TKN', role: 'CPO' }],
    }), 'granted'],
    ['HUB of a party another peer holds', facts([role('HUB', 'TKN')], { heldByOthers: [{ country_code: 'DE', party_id: 'TKN', peer_id: 'p2' }] }), 'refused'],
    ['outside the stated grants, at registration', facts([role('EMSP', 'AAA')], { grants: [] }), 'refused'],
    ['outside the stated grants, on a later PUT', facts([role('EMSP', 'AAA')], { grants: [], firstRegistration: false }), 'pending'],
    ['a role held already, on a later PUT', facts([role('HUB', 'HUB')], { held: [role('HUB', 'HUB')], firstRegistration: false }), 'granted'],
    ['the same party in another role than granted', facts([role('CPO', 'AAA')], { grants: [{ country_code: 'DE', party_id: 'AAA', role: 'EMSP' }] }), 'refused'],
  ])('%s: %s', (_name, input, expected) => {
    expect(outcomes(input)).toEqual([expected])
  })

  it('compares parties case-insensitively (CiString)', () => {
    expect(outcomes(facts([role('EMSP', 'abc', 'de')], { heldByOthers: [{ country_code: 'DE', party_id: 'ABC', peer_id: 'p2' }] }))).toEqual(['refused'])
  })

  it('names the first refused role and its index in the 2001', () => {
    const error = refusal(decideRoles(facts([role('EMSP', 'AAA'), role('CPO', 'OWN')], { hosted: [{ country_code: 'DE', party_id: 'OWN' }] })))
    expect(error).toMatchObject({ status_code: 2001, detail: { path: 'roles.1' } })
    expect(error!.message).toContain('CPO DE*OWN')
  })
})
