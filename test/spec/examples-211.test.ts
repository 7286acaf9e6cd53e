/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest'
import { expectations211, type Expectation211 } from '../fixtures/spec/expectations'
import { OcpiError } from '../../src/ocpi/errors'
import { parseWith } from '../../src/ocpi/body'
import type { VersionAdapter } from '../../src/ocpi/version-adapters'
import { exampleObjects211, type ExampleObject211 } from './example-objects-211'
import { differingPaths, readInlineExample } from './inline-examples'
import { z } from 'zod'
import { Credentials211, credentialsFor, credentialsFrom211, Version, VersionDetails211 } from '../../src/ocpi/objects/credentials'

// Every JSON example of the OCPI 2.1.1 text (committed unaltered under test/fixtures/spec/2.1.1) against its recorded
// expectation: parsed with the 2.1.1 schema, converted to canonical (2.3.0) and back.

const texts = import.meta.glob<string>('../fixtures/spec/2.1.1/examples/*.json', { eager: true, query: '?raw', import: 'default' })
const examples = Object.entries(texts).map(([path, text]) => ({ file: path.split('/').pop()!, text }))
const owner = { country_code: 'BE', party_id: 'BEC' }

const unwrapped = (json: unknown, field?: string) => (field ? (json as Record<string, unknown>)[field] : json)

function roundTrip(object: ExampleObject211, value: unknown) {
  const adapter: VersionAdapter<unknown, unknown> = exampleObjects211[object].adapter as never
  return adapter.fromCanonical(adapter.toCanonical(parseWith(adapter.schema, value), owner))
}

/** A differing path is a declared loss when the object's losses name it, a field it lies in, or its last field. */
function isDeclaredLoss(object: ExampleObject211, path: string) {
  const fields = new Set(exampleObjects211[object].losses.map((loss) => loss.field))
  const segments = path.split('.')
  return fields.has(segments.at(-1)!) || segments.some((_, index) => fields.has(segments.slice(0, index + 1).join('.')))
}

function check(expectation: Expectation211, text: string) {
  const read = readInlineExample(text)
  if (expectation.kind === 'not-json') return expect(read, expectation.reason).toHaveProperty('error')
  if (!('json' in read)) throw new Error(`not JSON: ${read.error}`)
  const { json } = read
  switch (expectation.kind) {
    case 'round-trips':
      return expect(roundTrip(expectation.object, unwrapped(json, expectation.unwrap))).toStrictEqual(unwrapped(json, expectation.unwrap))
    case 'loses': {
      const value = unwrapped(json, expectation.unwrap)
      const differing = differingPaths(value, roundTrip(expectation.object, value))
      // Each entry of `lost` covers the field it names and everything within it.
      const within = (path: string, field: string) => path === field || path.startsWith(`${field}.`)
      expect(differing.filter((path) => !expectation.lost.some((field) => within(path, field)))).toEqual([])
      expect(expectation.lost.filter((field) => !differing.some((path) => within(path, field)))).toEqual([])
      return expect(expectation.lost.filter((field) => !isDeclaredLoss(expectation.object, field))).toEqual([])
    }
    case 'erratum': {
      const error = (() => { try { parseWith(exampleObjects211[expectation.object].adapter.schema, json) } catch (caught) { return caught } })()
      expect(error, `${expectation.reason}: expected a refusal`).toBeInstanceOf(OcpiError)
      return expect((error as OcpiError).detail.path).toBe(expectation.path)
    }
    case 'not-an-object': {
      const { data, ...rest } = json as { data?: unknown }
      expect(Object.keys(rest).sort()).toEqual(['status_code', 'status_message', 'timestamp'])
      if (expectation.data_object === null) return expect(data).toBeUndefined()
      const objects = expectation.list ? (data as unknown[]) : [data]
      expect(objects.length).toBeGreaterThan(0)
      for (const object of objects) expect(roundTrip(expectation.data_object, object)).toStrictEqual(object)
      return
    }
    case 'elsewhere':
      return (elsewhereChecks[expectation.what] ?? (() => { throw new Error(`no check for ${expectation.what}`) }))(json)
  }
}

// The credentials and versions objects are no module object's version adapter: each is read with its 2.1.1 schema and
// must come back unchanged (Credentials through the canonical form and back, as our registration does).
const dataOf = (json: unknown) => (json !== null && typeof json === 'object' && 'data' in json ? (json as { data: unknown }).data : json)
const elsewhereChecks: Record<string, (json: unknown) => void> = {
  'Credentials (2.1.1 credentials module)': (json) => expect(credentialsFor('2.1.1', credentialsFrom211(parseWith(Credentials211, json), 'CPO'))).toStrictEqual(json),
  'VersionDetails (2.1.1 versions module)': (json) => expect(parseWith(VersionDetails211, dataOf(json))).toStrictEqual(dataOf(json)),
  'Version list (2.1.1 versions module)': (json) => expect(parseWith(z.array(Version), dataOf(json))).toStrictEqual(dataOf(json)),
}

describe('OCPI 2.1.1 spec examples', () => {
  it('are all there: every JSON code block of the 2.1.1 text', () => {
    expect(examples).toHaveLength(33)
  })

  it('each has a recorded expectation, and each expectation an example', () => {
    expect(examples.map(({ file }) => file).filter((file) => !expectations211[file])).toEqual([])
    expect(Object.keys(expectations211).filter((file) => !examples.some((example) => example.file === file))).toEqual([])
  })

  for (const { file, text } of examples) {
    const expectation = expectations211[file]
    if (!expectation) continue
    it(`${file}: ${expectation.kind}`, () => check(expectation, text))
  }
})
