import { describe, expect, it } from 'vitest'
import { allowedCountriesFromWire, Token, Token221, TokenPatch, TokenPatch221 } from '../../../src/ocpi/objects/token'
import { tokenPatchVersions, tokenToWire, tokenVersions } from '../../../src/ocpi/objects/version-maps'
import { fromWire, toWire } from '../../../src/ocpi/version-adapters'

// Spec examples, read unaltered from the committed fixtures (test/fixtures/spec).
const examples = {
  '2.3.0': import.meta.glob<any>('../../fixtures/spec/2.3.0/examples/*token*.json', { eager: true, import: 'default' }),
  '2.2.1': import.meta.glob<any>('../../fixtures/spec/2.2.1/examples/*token*.json', { eager: true, import: 'default' }),
} as const

const tokenObjects = (version: keyof typeof examples) =>
  Object.entries(examples[version]).flatMap(([path, example]): [string, unknown][] => {
    if (path.includes('cdr') || path.includes('session') || path.includes('patch')) return []
    if (path.includes('transport_and_format')) return [example.data].flat().map((token: unknown, index: number) => [`${path}#${index}`, token])
    return [[path, example]]
  })

describe.each(['2.3.0', '2.2.1'] as const)('Token examples of %s', (version) => {
  it('finds the spec examples', () => {
    expect(tokenObjects(version).length).toBeGreaterThanOrEqual(7)
  })

  it.each(tokenObjects(version))('%s survives wire -> canonical -> wire unchanged', (_path, example) => {
    const canonical = fromWire(tokenVersions, version, example)
    expect(Token.parse(canonical)).toEqual(canonical)
    expect(toWire(tokenVersions, version, canonical)).toEqual(example)
  })

  it('reads the PATCH example (valid=false with last_updated)', () => {
    const [, patch] = Object.entries(examples[version]).find(([path]) => path.endsWith('token_patch_example.json'))!
    expect(fromWire(tokenPatchVersions, version, patch)).toEqual({ valid: false, last_updated: '2019-06-19T02:11:11Z' })
  })
})

describe('version differences', () => {
  const rfid = Token.parse(Object.values(examples['2.3.0']).find((example) => example.type === 'RFID' && example.energy_contract))

  it('2.3.0 adds EMAID and leaves TokenType open; 2.2.1 keeps it closed', () => {
    expect(Token.safeParse({ ...rfid, type: 'EMAID', uid: 'DE-8AC-C12E46L89' }).success).toBe(true)
    expect(Token.safeParse({ ...rfid, type: 'X_KEY_FOB' }).success).toBe(true)
    expect(Token221.safeParse({ ...rfid, type: 'EMAID' }).error?.issues[0]?.path).toEqual(['type'])
  })

  it('a PATCH must carry last_updated', () => {
    expect(TokenPatch.safeParse({ valid: false }).error?.issues[0]?.path).toEqual(['last_updated'])
    expect(TokenPatch221.safeParse({ valid: false }).success).toBe(false)
  })

  it('rejects a bad field with its path', () => {
    expect(Token.safeParse({ ...rfid, whitelist: 'SOMETIMES' }).error?.issues[0]?.path).toEqual(['whitelist'])
    expect(Token.safeParse({ ...rfid, energy_contract: {} }).error?.issues[0]?.path).toEqual(['energy_contract', 'supplier_name'])
    expect(Token.safeParse({ ...rfid, uid: 'x'.repeat(37) }).error?.issues[0]?.path).toEqual(['uid'])
  })

  it('tolerates unknown fields and drops them', () => {
    expect(Token.parse({ ...rfid, some_future_field: 1 })).toEqual(rfid)
  })

  it('sends allowed_countries to 2.3.0 peers only, and reads it back leniently', () => {
    expect(tokenToWire('2.3.0', rfid, ['DE', 'AT'])).toMatchObject({ allowed_countries: ['DE', 'AT'] })
    expect(tokenToWire('2.2.1', rfid, ['DE', 'AT'])).not.toHaveProperty('allowed_countries')
    expect(tokenToWire('2.3.0', rfid, null)).not.toHaveProperty('allowed_countries')
    expect(allowedCountriesFromWire('2.3.0', { allowed_countries: ['de', 'at'] })).toEqual(['DE', 'AT'])
    expect(allowedCountriesFromWire('2.3.0', { allowed_countries: 'DE' })).toBeUndefined()
    expect(allowedCountriesFromWire('2.2.1', { allowed_countries: ['DE'] })).toBeUndefined()
  })
})
