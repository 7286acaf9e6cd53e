/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest'
import { expectations, type Expectation } from '../fixtures/spec/expectations'
import { OcpiError } from '../../src/ocpi/errors'
import { fromWire, toWire, type VersionAdapters } from '../../src/ocpi/version-adapters'
import type { OcpiVersion } from '../../src/ocpi/versions'
import { exampleObjects, type ExampleObject } from './example-objects'

// Every JSON example the spec ships (committed unaltered under test/fixtures/spec) against its recorded expectation.
// 2.1.1 examples are inline code blocks, not all of them JSON files as they stand: examples-211.test.ts reads them.
const files = import.meta.glob<unknown>(['../fixtures/spec/*/examples/*.json', '!../fixtures/spec/2.1.1/**'], { eager: true, import: 'default' })
const examples = Object.entries(files).map(([path, json]) => {
  const [, release, file] = path.match(/spec\/([^/]+)\/examples\/([^/]+)$/)!
  return { release: release!, file: file!, json }
})
/** The bookings and payments branches are 2.3.0 releases: their examples are read as 2.3.0. */
const versionOf = (release: string): OcpiVersion => (release === '2.2.1' ? '2.2.1' : '2.3.0')
const adaptersOf = (object: ExampleObject) => exampleObjects[object] as VersionAdapters<unknown>
const unwrapped = (json: unknown, field?: string) => (field ? (json as Record<string, unknown>)[field] : json)

function roundTrip(object: ExampleObject, version: OcpiVersion, value: unknown) {
  return toWire(adaptersOf(object), version, fromWire(adaptersOf(object), version, value))
}

function check(expectation: Expectation, version: OcpiVersion, json: unknown) {
  switch (expectation.kind) {
    case 'round-trips':
      return expect(roundTrip(expectation.object, version, unwrapped(json, expectation.unwrap))).toStrictEqual(unwrapped(json, expectation.unwrap))
    case 'tolerated': {
      const value = unwrapped(json, expectation.unwrap)
      // Accepted, and written back differently: once it round-trips exactly, the line must say round-trips.
      return expect(roundTrip(expectation.object, version, value)).not.toStrictEqual(value)
    }
    case 'erratum': {
      const error = (() => { try { fromWire(adaptersOf(expectation.object), version, json) } catch (caught) { return caught } })()
      expect(error, `${expectation.reason}: expected a refusal`).toBeInstanceOf(OcpiError)
      return expect((error as OcpiError).detail.path).toBe(expectation.path)
    }
    case 'not-an-object': {
      const { data, ...rest } = json as { data: unknown }
      expect(Object.keys(rest).sort()).toEqual(['status_code', 'status_message', 'timestamp'])
      const objects = expectation.list ? (data as unknown[]) : [data]
      expect(objects.length).toBeGreaterThan(0)
      for (const object of objects) expect(roundTrip(expectation.data_object, version, object)).toStrictEqual(object)
      return
    }
    case 'module-not-built':
      throw new Error('not checked')
  }
}

describe('spec examples', () => {
  it('are all there: four releases, 261 files', () => {
    expect([...new Set(examples.map(({ release }) => release))].sort()).toEqual(['2.2.1', '2.3.0', '2.3.0-bookings', '2.3.0-payments'])
    expect(examples).toHaveLength(261)
  })

  it('each has a recorded expectation', () => {
    const missing = examples.filter(({ release, file }) => !expectations[release]?.[file]).map(({ release, file }) => `${release}/${file}`)
    expect(missing).toEqual([])
  })

  it('each expectation names an example that exists', () => {
    const present = new Set(examples.map(({ release, file }) => `${release}/${file}`))
    const stale = Object.entries(expectations).flatMap(([release, table]) => Object.keys(table).map((file) => `${release}/${file}`)).filter((key) => !present.has(key))
    expect(stale).toEqual([])
  })

  for (const { release, file, json } of examples) {
    const expectation = expectations[release]?.[file]
    if (!expectation) continue
    const title = `${release}/${file}: ${expectation.kind}`
    if (expectation.kind === 'module-not-built') it.skip(`${title} (${expectation.module})`, () => {})
    else it(title, () => check(expectation, versionOf(release), json))
  }
})
