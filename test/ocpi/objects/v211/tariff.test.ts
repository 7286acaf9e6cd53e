import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PriceComponent, Tariff, TariffRestrictions } from '../../../../src/ocpi/objects/tariff'
import { PriceComponent211, Tariff211, tariff211, tariff211Losses, TariffRestrictions211 } from '../../../../src/ocpi/objects/v211/tariff'
import { amount, dateTime, displayText, id, optional } from './arbitraries'
import { expectDocumented, expectLossesDeclared, expectStable } from './checks'

const owner = { country_code: 'NL', party_id: 'TNM' }
const base = { id: '12', currency: 'EUR', last_updated: '2015-06-29T20:39:09Z' }
const time = (component: object) => ({ price_components: [{ type: 'TIME', price: 2, step_size: 300, ...component }] })

describe('2.1.1 Tariff', () => {
  it('reads a 2.1.1 tariff as prices excluding VAT, for the connection\'s party', () => {
    expect(tariff211.toCanonical(Tariff211.parse({ ...base, elements: [time({})] }), owner)).toStrictEqual({
      ...base, country_code: 'NL', party_id: 'TNM', tax_included: 'NO', elements: [time({})],
    })
  })

  it('takes VAT out of prices that include it, in decimal arithmetic', () => {
    const canonical = Tariff.parse({ ...base, country_code: 'NL', party_id: 'TNM', tax_included: 'YES', type: 'REGULAR', elements: [time({ price: 2.42, vat: 21 }), time({ price: 0.1, vat: 21 }), time({ price: 3 })] })
    expect(tariff211.fromCanonical(canonical).elements.map((element) => element.price_components[0]!.price)).toEqual([2, 0.0826, 3])
  })

  it('leaves out reservation elements and restrictions 2.1.1 lacks, and never sends an empty tariff', () => {
    const canonical = Tariff.parse({
      ...base, country_code: 'NL', party_id: 'TNM', tax_included: 'NO', min_price: { before_taxes: 1 }, tariff_group_id: 'G',
      elements: [{ ...time({}), restrictions: { reservation: 'RESERVATION' } }, { ...time({ price: 1 }), restrictions: { max_current: 16, min_power: 2 } }],
    })
    expect(tariff211.fromCanonical(canonical)).toStrictEqual({ ...base, elements: [{ ...time({ price: 1 }), restrictions: { min_power: 2 } }] })
    const reservationOnly = Tariff.parse({ ...canonical, elements: [canonical.elements[0]] })
    expect(tariff211.fromCanonical(reservationOnly).elements).toStrictEqual([{ price_components: [{ type: 'FLAT', price: 0, step_size: 0 }] }])
  })

  it('lists every field that differs between the versions as lost', () => {
    expectLossesDeclared(tariff211Losses, 'Tariff', Tariff, Tariff211)
    expectLossesDeclared(tariff211Losses, 'PriceComponent', PriceComponent, PriceComponent211)
    expectLossesDeclared(tariff211Losses, 'TariffRestrictions', TariffRestrictions, TariffRestrictions211)
  })

  it('docs/ocpi-2.1.1.md shows the same losses', () => expectDocumented(tariff211Losses))

  const component = fc.record({ type: fc.constantFrom('ENERGY' as const, 'FLAT' as const, 'PARKING_TIME' as const, 'TIME' as const), price: amount, step_size: fc.integer({ min: 0, max: 3600 }) })
  const restrictions = fc.record(
    { start_time: fc.constantFrom('08:00', '18:30'), start_date: fc.constant('2015-12-24'), min_kwh: amount, max_power: amount, min_duration: fc.nat(), day_of_week: fc.subarray(['MONDAY', 'SUNDAY'] as const) },
    { requiredKeys: [] },
  )
  const tariff211Arbitrary = fc.record(
    {
      id: id(36), currency: fc.constantFrom('EUR', 'USD'), tariff_alt_text: fc.array(displayText, { maxLength: 2 }), tariff_alt_url: fc.constant('https://example.com/t'),
      elements: fc.array(fc.record({ price_components: fc.array(component, { minLength: 1, maxLength: 3 }), restrictions }, { requiredKeys: ['price_components'] }), { minLength: 1, maxLength: 4 }),
      last_updated: dateTime,
    },
    { requiredKeys: ['id', 'currency', 'elements', 'last_updated'] },
  )

  it('wire -> canonical -> wire is stable after one round, and canonical -> 2.1.1 is valid 2.1.1', () => {
    fc.assert(fc.property(tariff211Arbitrary, (wire) => expectStable(tariff211, wire, owner)), { numRuns: 200 })
    const canonical = fc.tuple(tariff211Arbitrary, fc.constantFrom('YES' as const, 'NO' as const, 'N/A' as const), fc.array(fc.integer({ min: 0, max: 30 })), optional(fc.constantFrom('RESERVATION' as const, 'RESERVATION_EXPIRES' as const)))
      .map(([wire, tax_included, vats, reservation]) => {
        const tariff = tariff211.toCanonical(Tariff211.parse(wire), owner)
        return Tariff.parse({
          ...tariff, tax_included, type: 'PROFILE_GREEN', max_price: { before_taxes: 10 }, start_date_time: '2015-06-29T20:39:09Z',
          elements: tariff.elements.map((element, index) => ({
            price_components: element.price_components.map((price, position) => ({ ...price, ...(vats[position] !== undefined && { vat: vats[position] }) })),
            restrictions: { ...element.restrictions, max_current: 32, ...(index === 0 && reservation && { reservation }) },
          })),
        })
      })
    fc.assert(fc.property(canonical, (tariff) => { expect(Tariff211.safeParse(tariff211.fromCanonical(tariff)).error).toBeUndefined() }), { numRuns: 200 })
  })
})
