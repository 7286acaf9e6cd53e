/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { ConnectorPatch, ConnectorPatch221, EVSE, EVSE221, EVSEPatch, EVSEPatch221, EnergyMix, EnergyMix221, Hours, Location, Location221, LocationPatch, LocationPatch221 } from '../../../src/ocpi/objects/location'
import { locationVersions } from '../../../src/ocpi/objects/version-maps'
import { fromWire, toWire } from '../../../src/ocpi/version-adapters'
import { present } from '../../present'

// The spec's examples, read unaltered from the committed fixtures (test/fixtures/spec).
const examples230 = import.meta.glob<unknown>('../../fixtures/spec/2.3.0/examples/location_*.json', { eager: true, import: 'default' })
const examples221 = import.meta.glob<unknown>('../../fixtures/spec/2.2.1/examples/location_*.json', { eager: true, import: 'default' })

/** The object each example file shows, by file name (some wrap a class in its field name, as the spec includes lines of them). */
function schemaFor(version: '2.2.1' | '2.3.0', file: string): { schema: z.ZodType; unwrap?: string } {
  const v221 = version === '2.2.1'
  if (/location_example/.test(file)) return { schema: v221 ? Location221 : Location }
  if (/patch_example_location/.test(file)) return { schema: v221 ? LocationPatch221 : LocationPatch }
  if (/patch_example_(status|remove_evse)/.test(file)) return { schema: v221 ? EVSEPatch221 : EVSEPatch }
  if (/patch_example_tariff/.test(file)) return { schema: v221 ? ConnectorPatch221 : ConnectorPatch }
  if (/put_example_add_evse/.test(file)) return { schema: v221 ? EVSE221 : EVSE }
  if (/location_hours_/.test(file)) return { schema: Hours }
  if (/location_regularhours_example/.test(file)) return { schema: Hours, unwrap: 'opening_times' }
  if (/location_energymix_example/.test(file)) return { schema: v221 ? EnergyMix221 : EnergyMix, unwrap: 'energy_mix' }
  throw new Error(`No schema known for ${file}`)
}

const name = (path: string) => path.split('/').pop()!

describe.each([
  ['2.3.0', examples230],
  ['2.2.1', examples221],
] as const)('OCPI %s location examples', (version, examples) => {
  it('finds the examples', () => expect(Object.keys(examples).length).toBe(18))

  const cases = Object.entries(examples).filter(([path]) => !/put_example_add_evse/.test(path))
  it.each(cases.map(([path, example]) => [name(path), example]))('%s parses unchanged', (file, example) => {
    const { schema, unwrap } = schemaFor(version, file)
    const value = unwrap ? (example as Record<string, unknown>)[unwrap] : example
    const parsed = schema.safeParse(value)
    expect(parsed.error?.issues).toBeUndefined()
    expect(parsed.data).toStrictEqual(value)
  })

  const locations = cases.filter(([path]) => /location_example/.test(path))
  it.each(locations.map(([path, example]) => [name(path), example]))('%s survives version -> canonical -> version', (_file, example) => {
    const canonical = fromWire(locationVersions, version, example)
    expect(Location.parse(canonical)).toStrictEqual(canonical)
    expect(toWire(locationVersions, version, canonical)).toStrictEqual(example)
  })

  // The "add an EVSE" example leaves out required Connector fields and writes floor/physical_reference as numbers:
  // a receiver following the object definitions refuses it, naming the first missing field.
  it('refuses the incomplete "add an EVSE" example with the field path', () => {
    const [, example] = Object.entries(examples).find(([path]) => /put_example_add_evse/.test(path))!
    const result = (version === '2.2.1' ? EVSE221 : EVSE).safeParse(example)
    expect(result.success).toBe(false)
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain('connectors.0.power_type')
  })
})

describe('2.3.0 -> 2.2.1 conversion', () => {
  it('drops Parking, help_phone, accepted_service_providers and 2.3.0-only enum values', () => {
    const [, example] = Object.entries(examples230).find(([path]) => path.endsWith('/location_example.json'))!
    const canonical = Location.parse(example)
    canonical.help_phone = '+3212345678'
    canonical.facilities = ['CAFE', 'X_DRIVE_IN']
    const [firstEvse, secondEvse] = canonical.evses ?? []
    present(firstEvse, 'the first EVSE').parking_restrictions = ['EV_ONLY', 'TENANTS']
    present(firstEvse, 'the first EVSE').accepted_service_providers = ['Example eMSP']
    present(secondEvse?.connectors[0], 'the second EVSE connector').standard = 'MCS'
    const converted = toWire(locationVersions, '2.2.1', canonical) as Location221
    expect(Location221.parse(converted)).toStrictEqual(converted)
    expect(converted).not.toHaveProperty('parking_places')
    expect(converted).not.toHaveProperty('help_phone')
    expect(converted.facilities).toEqual(['CAFE'])
    expect(converted.evses?.[0]?.parking_restrictions).toEqual(['EV_ONLY'])
    expect(converted.evses![0]).not.toHaveProperty('parking')
    expect(converted.evses![0]).not.toHaveProperty('accepted_service_providers')
    // The only connector of the second EVSE is MCS: no 2.2.1 EVSE can carry it.
    expect(converted.evses!.map((evse) => evse.uid)).toEqual(['3256'])
  })

  it('refuses a PATCH without last_updated in both versions', () => {
    expect(EVSEPatch.safeParse({ status: 'CHARGING' }).error?.issues[0]?.path).toEqual(['last_updated'])
    expect(EVSEPatch221.safeParse({ status: 'CHARGING' }).error?.issues[0]?.path).toEqual(['last_updated'])
  })
})
