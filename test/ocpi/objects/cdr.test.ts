import { describe, expect, it } from 'vitest'
import cdr221 from '../../fixtures/spec/2.2.1/examples/cdr_example.json'
import cdr230 from '../../fixtures/spec/2.3.0/examples/cdr_example.json'
import { CDR, CDR221 } from '../../../src/ocpi/objects/cdr'
import { cdrVersions } from '../../../src/ocpi/objects/version-maps'
import { withoutPersonalData } from '../../../src/modules/cdrs/store'
import { fromWire, toWire } from '../../../src/ocpi/version-adapters'

// Spec examples, read unaltered from the committed fixtures (test/fixtures/spec).
const examples = { '2.3.0': cdr230, '2.2.1': cdr221 } as const

describe.each(['2.3.0', '2.2.1'] as const)('the CDR example of %s', (version) => {
  it('survives wire -> canonical -> wire unchanged', () => {
    const canonical = fromWire(cdrVersions, version, examples[version])
    expect(CDR.parse(canonical)).toEqual(canonical)
    expect(toWire(cdrVersions, version, canonical)).toEqual(examples[version])
  })
})

describe('2.2.1 and 2.3.0', () => {
  const canonical = CDR.parse(cdr230)

  it('2.2.1 prices become 2.3.0 prices: the example totals match across versions', () => {
    const from221 = fromWire(cdrVersions, '2.2.1', cdr221)
    expect(from221.total_cost).toEqual(canonical.total_cost)
    expect(from221.total_time_cost).toEqual(canonical.total_time_cost)
    expect(from221.tariffs?.[0]).toMatchObject({ tax_included: 'NO' })
  })

  it('sends a 2.3.0 CDR to a 2.2.1 peer with excl/incl VAT and a 2.2.1 token type', () => {
    const wire = toWire(cdrVersions, '2.2.1', { ...canonical, cdr_token: { ...canonical.cdr_token, type: 'EMAID' } }) as any
    expect(wire.total_cost).toEqual({ excl_vat: 4, incl_vat: 4.4 })
    expect(wire.cdr_token.type).toBe('OTHER')
    expect(CDR221.safeParse(wire).success).toBe(true)
  })

  it('2.3.0 allows 5000 characters of plain_data, 2.2.1 512', () => {
    const signed_data = { encoding_method: 'OCMF', signed_values: [{ nature: 'Start', plain_data: 'x'.repeat(600), signed_data: 'c2lnbmVk' }] }
    expect(CDR.safeParse({ ...cdr230, signed_data }).success).toBe(true)
    expect(CDR221.safeParse({ ...cdr221, signed_data }).error?.issues[0]?.path).toEqual(['signed_data', 'signed_values', 0, 'plain_data'])
  })
})

describe('validation', () => {
  it('a credit CDR needs credit_reference_id', () => {
    expect(CDR.safeParse({ ...cdr230, id: '12345-C', credit: true }).error?.issues[0]?.path).toEqual(['credit_reference_id'])
    expect(CDR.safeParse({ ...cdr230, id: '12345-C', credit: true, credit_reference_id: '12345' }).success).toBe(true)
  })

  it('needs at least one charging period, and names the failing field', () => {
    expect(CDR.safeParse({ ...cdr230, charging_periods: [] }).error?.issues[0]?.path).toEqual(['charging_periods'])
    expect(CDR.safeParse({ ...cdr230, cdr_location: { ...cdr230.cdr_location, connector_format: 'PLUG' } }).error?.issues[0]?.path).toEqual(['cdr_location', 'connector_format'])
    expect(CDR.safeParse({ ...cdr230, total_cost: { excl_vat: 4 } }).error?.issues[0]?.path).toEqual(['total_cost', 'before_taxes'])
  })

  it('tolerates unknown fields and drops them', () => {
    expect(CDR.parse({ ...cdr230, some_future_field: true })).toEqual(CDR.parse(cdr230))
  })
})

describe('withoutPersonalData (GDPR: CDRs kept for invoicing)', () => {
  it('pseudonymizes the token, drops signed data and a home charger\'s address', () => {
    const signed_data = { encoding_method: 'OCMF', signed_values: [{ nature: 'Start', plain_data: 'meter', signed_data: 'c2lnbmVk' }] }
    const home = CDR.parse({ ...cdr230, signed_data, home_charging_compensation: true })
    const kept = withoutPersonalData(home, 'PSEUDO')
    expect(kept.cdr_token).toMatchObject({ uid: 'PSEUDO', contract_id: 'PSEUDO', country_code: 'DE', party_id: 'TNM' })
    expect(kept.signed_data).toBeUndefined()
    expect(kept.cdr_location).toMatchObject({ city: 'Gent', country: 'BEL', address: '' })
    expect(kept.cdr_location.postal_code).toBeUndefined()
    expect(kept.total_cost).toEqual(home.total_cost)
    expect(CDR.safeParse(kept).success).toBe(true)
  })
})
