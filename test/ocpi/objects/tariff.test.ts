import { describe, expect, it } from 'vitest'
import { parseWith } from '../../../src/ocpi/body'
import { OcpiError } from '../../../src/ocpi/errors'
import { fromWire, toWire } from '../../../src/ocpi/version-adapters'
import { Tariff, Tariff221, tariffTo221 } from '../../../src/ocpi/objects/tariff'
import { tariffVersions } from '../../../src/ocpi/objects/version-maps'

// The spec's own tariff examples (read unaltered from test/fixtures/spec) survive wire -> canonical -> wire unchanged.
const examples = {
  '2.3.0': import.meta.glob<Record<string, unknown>>(['../../fixtures/spec/2.3.0/examples/tariff_*.json', '../../fixtures/spec/2.3.0/examples/tariffrestriction_*.json'], { eager: true, import: 'default' }),
  '2.2.1': import.meta.glob<Record<string, unknown>>(['../../fixtures/spec/2.2.1/examples/tariff_*.json', '../../fixtures/spec/2.2.1/examples/tariffrestriction_*.json'], { eager: true, import: 'default' }),
}

// tariff_put_example.json shows a PUT body without `last_updated`, which the Tariff object requires (card. 1), and
// which the receiver needs to keep an older push from overwriting newer data. It parses once the field is present.
const WITHOUT_LAST_UPDATED = 'tariff_put_example.json'
const nameOf = (path: string) => path.split('/').at(-1)!

describe.each(['2.3.0', '2.2.1'] as const)('spec tariff examples of %s', (version) => {
  const entries = Object.entries(examples[version])

  it('are all found', () => expect(entries.length).toBeGreaterThanOrEqual(version === '2.3.0' ? 22 : 20))

  it.each(entries.filter(([path]) => nameOf(path) !== WITHOUT_LAST_UPDATED))('%s round-trips through the canonical shape', (_path, example) => {
    const canonical = fromWire(tariffVersions, version, example)
    expect(Tariff.parse(canonical)).toEqual(canonical)
    expect(toWire(tariffVersions, version, canonical)).toEqual(example)
  })

  it(`${WITHOUT_LAST_UPDATED} is refused for its missing last_updated, and round-trips with it`, () => {
    const [, example] = entries.find(([path]) => nameOf(path) === WITHOUT_LAST_UPDATED)!
    expect(() => fromWire(tariffVersions, version, example)).toThrow(expect.objectContaining({ status_code: 2001, detail: { path: 'last_updated' } }))
    const completed = { ...example, last_updated: '2019-01-01T00:00:00Z' }
    expect(toWire(tariffVersions, version, fromWire(tariffVersions, version, completed))).toEqual(completed)
  })
})

describe('2.2.1 <-> 2.3.0 adapters', () => {
  const [, maxPrice221] = Object.entries(examples['2.2.1']).find(([path]) => path.endsWith('tariff_6_025kwh_start_max_price.json'))!
  const [, maxPrice230] = Object.entries(examples['2.3.0']).find(([path]) => path.endsWith('tariff_6_025kwh_start_max_price.json'))!

  it('maps Price {excl_vat, incl_vat} to PriceLimit {before_taxes, after_taxes} and says tax_included NO', () => {
    expect(fromWire(tariffVersions, '2.2.1', maxPrice221)).toEqual(maxPrice230)
    expect(toWire(tariffVersions, '2.2.1', fromWire(tariffVersions, '2.3.0', maxPrice230))).toEqual(maxPrice221)
  })

  it('turns prices that include VAT into 2.2.1 prices excluding VAT, and leaves prices without vat as the driver pays them', () => {
    const [, inclusive] = Object.entries(examples['2.3.0']).find(([path]) => path.endsWith('tariff_20_simple_north_american_inclusive.json'))!
    const withVat = { ...(inclusive as Tariff), elements: [{ price_components: [{ type: 'ENERGY' as const, price: 0.363, vat: 21, step_size: 1 }] }] }
    expect(tariffTo221(withVat).elements[0]?.price_components[0]?.price).toBe(0.3)
    expect(tariffTo221(inclusive as Tariff).elements[0]?.price_components[0]?.price).toBe(2.1)
    expect(Tariff221.parse(tariffTo221(inclusive as Tariff))).not.toHaveProperty('tax_included')
  })

  it('drops 2.3.0-only environmental impact categories for 2.2.1 peers', () => {
    const tariff = { ...(maxPrice230 as Tariff), energy_mix: { is_green_energy: false, environ_impact: [{ category: 'CARBON_DIOXIDE', amount: 12 }, { category: 'METHANE', amount: 1 }] } }
    expect(tariffTo221(tariff).energy_mix?.environ_impact).toEqual([{ category: 'CARBON_DIOXIDE', amount: 12 }])
  })

  it('refuses a bad restriction with the field path', () => {
    const bad = { ...(maxPrice230 as Tariff), elements: [{ price_components: [{ type: 'TIME', price: 1, step_size: 60 }], restrictions: { start_time: '25:00' } }] }
    const error = (() => { try { parseWith(Tariff, bad) } catch (caught) { return caught } })() as OcpiError
    expect(error.detail.path).toBe('elements.0.restrictions.start_time')
  })
})
