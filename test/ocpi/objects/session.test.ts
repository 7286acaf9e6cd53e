import { mergeSessionWrite } from '../../../src/modules/sessions/merge'
import { describe, expect, it } from 'vitest'
import { ChargingPreferences, Session, Session221, SessionPatch } from '../../../src/ocpi/objects/session'
import { sessionPatchVersions, sessionVersions } from '../../../src/ocpi/objects/version-maps'
import { fromWire, toWire } from '../../../src/ocpi/version-adapters'
import { present } from '../../present'

// Spec examples, read unaltered from the committed fixtures (test/fixtures/spec).
const examples = {
  '2.3.0': import.meta.glob<any>('../../fixtures/spec/2.3.0/examples/session_*.json', { eager: true, import: 'default' }),
  '2.2.1': import.meta.glob<any>('../../fixtures/spec/2.2.1/examples/session_*.json', { eager: true, import: 'default' }),
} as const

const named = (version: keyof typeof examples, kind: 'example' | 'patch') =>
  Object.entries(examples[version])
    .filter(([path]) => path.includes(`session_${kind}_`))
    .map(([path, example]): [string, any] => [path.split('/').at(-1)!, example])

describe.each(['2.3.0', '2.2.1'] as const)('Session examples of %s', (version) => {
  it('finds the spec examples', () => {
    expect(named(version, 'example')).toHaveLength(2)
    expect(named(version, 'patch')).toHaveLength(2)
  })

  it.each(named(version, 'example'))('%s survives wire -> canonical -> wire unchanged', (_name, example) => {
    const canonical = fromWire(sessionVersions, version, example)
    expect(Session.parse(canonical)).toEqual(canonical)
    expect(toWire(sessionVersions, version, canonical)).toEqual(example)
  })

  it.each(named(version, 'patch'))('%s survives as a PATCH body', (_name, example) => {
    const canonical = fromWire(sessionPatchVersions, version, example)
    expect(SessionPatch.parse(canonical)).toEqual(canonical)
    expect(toWire(sessionPatchVersions, version, canonical)).toEqual(example)
  })
})

describe('2.2.1 and 2.3.0 describe the same sessions', () => {
  it.each(named('2.2.1', 'patch'))('%s in 2.2.1 is the 2.3.0 example once canonical', (name, example) => {
    const twin = named('2.3.0', 'patch').find(([other]) => other === name)![1]
    expect(fromWire(sessionPatchVersions, '2.2.1', example)).toEqual(twin)
  })

  it('excl_vat/incl_vat become before_taxes and a VAT tax amount, and back', () => {
    const [, finished] = named('2.2.1', 'example').find(([name]) => name.includes('finished'))!
    const canonical = fromWire(sessionVersions, '2.2.1', finished)
    expect(canonical.total_cost).toEqual({ before_taxes: 8.5, taxes: [{ name: 'VAT', amount: 0.85 }] })
    expect(toWire(sessionVersions, '2.2.1', { ...canonical, total_cost: { before_taxes: 10, taxes: [{ name: 'GST', amount: 0.5 }, { name: 'PST', amount: 0.7 }] } }))
      .toMatchObject({ total_cost: { excl_vat: 10, incl_vat: 11.2 } })
  })

  it('a 2.3.0-only token type reaches a 2.2.1 eMSP as OTHER, and 2.2.1 refuses it inbound', () => {
    const [, started] = present(named('2.3.0', 'example')[0], 'a session example')
    const emaid = Session.parse({ ...started, cdr_token: { ...started.cdr_token, type: 'EMAID' } })
    expect(toWire(sessionVersions, '2.2.1', emaid)).toMatchObject({ cdr_token: { type: 'OTHER' } })
    expect(Session221.safeParse({ ...started, total_cost: { excl_vat: 1 }, cdr_token: { ...started.cdr_token, type: 'EMAID' } }).error?.issues[0]?.path).toEqual(['cdr_token', 'type'])
  })
})

describe('validation', () => {
  const [, started] = present(named('2.3.0', 'example')[0], 'a session example')

  it('names the failing field', () => {
    expect(Session.safeParse({ ...started, status: 'CHARGING' }).error?.issues[0]?.path).toEqual(['status'])
    expect(Session.safeParse({ ...started, id: 'x'.repeat(37) }).error?.issues[0]?.path).toEqual(['id'])
    expect(Session.safeParse({ ...started, cdr_token: { ...started.cdr_token, contract_id: undefined } }).error?.issues[0]?.path).toEqual(['cdr_token', 'contract_id'])
    expect(Session.safeParse({ ...started, charging_periods: [{ start_date_time: started.start_date_time, dimensions: [] }] }).error?.issues[0]?.path)
      .toEqual(['charging_periods', 0, 'dimensions'])
  })

  it('tolerates unknown fields and drops them', () => {
    expect(Session.parse({ ...started, some_future_field: 1 })).toEqual(Session.parse(started))
  })

  it('a PATCH must carry last_updated', () => {
    expect(SessionPatch.safeParse({ kwh: 1 }).error?.issues[0]?.path).toEqual(['last_updated'])
  })

  it('Charging Preferences need a known profile type', () => {
    expect(ChargingPreferences.safeParse({ profile_type: 'FAST', energy_need: 20 }).success).toBe(true)
    expect(ChargingPreferences.safeParse({ profile_type: 'TURBO' }).error?.issues[0]?.path).toEqual(['profile_type'])
  })
})

describe('mergeSessionWrite (mod_sessions, PATCH Method)', () => {
  const [, finished] = named('2.3.0', 'example').find(([name]) => name.includes('finished'))!
  const session = Session.parse(finished)
  const period = { start_date_time: '2015-06-29T23:40:00Z', dimensions: [{ type: 'ENERGY' as const, volume: 1 }] }

  it('adds charging periods and changes only the fields the patch carries', () => {
    const patched = mergeSessionWrite(session, {}, { kwh: 42, charging_periods: [period], last_updated: '2015-06-29T23:55:00Z' })?.session
    expect(patched!.charging_periods).toEqual([...session.charging_periods!, period])
    expect(patched).toMatchObject({ kwh: 42, status: 'COMPLETED', last_updated: '2015-06-29T23:55:00Z', total_cost: session.total_cost })
  })

  it('leaves the periods alone without any, and is idempotent when a PATCH is retried', () => {
    expect(mergeSessionWrite(session, {}, { charging_periods: [], last_updated: session.last_updated })!.session.charging_periods).toEqual(session.charging_periods)
    const once = mergeSessionWrite(session, {}, { charging_periods: [period], last_updated: session.last_updated })!
    expect(mergeSessionWrite(once.session, once.periodVersions, { charging_periods: [period], last_updated: session.last_updated })).toEqual(once)
  })
})
