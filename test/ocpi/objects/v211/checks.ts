import { expect } from 'vitest'
import type { z } from 'zod'
import { lossTable, type Loss } from '../../../../src/ocpi/objects/v211/shared'
import type { Owner } from '../../../../src/ocpi/version-adapters'
import docs from '../../../../docs/ocpi-2.1.1.md?raw'
import { fieldsThatDiffer } from './differences'

/** Every field one schema has and the other lacks, or whose enum values differ, is a declared loss of `object`. */
export function expectLossesDeclared(losses: readonly Loss[], object: string, canonical: z.ZodType, wire: z.ZodType) {
  const declared = losses.filter((loss) => loss.object === object).flatMap((loss) => [loss.field, loss.canonical])
  expect(fieldsThatDiffer(canonical, wire).filter((field) => !declared.includes(field)), `${object}: fields that differ but are not listed as lost`).toEqual([])
}

/** docs/ocpi-2.1.1.md shows each object's losses as lossTable renders them. */
export function expectDocumented(losses: readonly Loss[]) {
  for (const object of new Set(losses.map((loss) => loss.object))) expect(docs).toContain(lossTable(losses.filter((loss) => loss.object === object)))
}

interface Adapter<T> {
  schema: { parse(value: unknown): T }
  toCanonical(wire: T, owner?: Owner): unknown
  fromCanonical(canonical: never): unknown
}

/** wire -> canonical -> wire, done twice, gives the same result: the adapters reach a fixed point after one round. */
export function expectStable<T>(adapter: Adapter<T>, wire: T, owner?: Owner) {
  const once = adapter.fromCanonical(adapter.toCanonical(adapter.schema.parse(wire), owner) as never)
  const twice = adapter.fromCanonical(adapter.toCanonical(adapter.schema.parse(once), owner) as never)
  expect(twice).toStrictEqual(once)
}
