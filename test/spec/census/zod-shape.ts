import type { z } from 'zod'
import type { Cardinality } from './asciidoc'

// Reads what a zod schema accepts, in the terms of the spec's property tables: object fields, cardinality, the
// maximum string length and enum values. Zod 4 keeps all of it in `_zod.def`.

interface Def { type: string; [key: string]: unknown }
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def
const checksOf = (schema: z.ZodType) => ((defOf(schema).checks as { _zod: { def: Record<string, unknown> } }[] | undefined) ?? []).map((check) => check._zod.def)

/** Strips wrappers that do not change the shape; `optional` says whether the value may be left out. */
export function unwrap(schema: z.ZodType): { schema: z.ZodType; optional: boolean } {
  let optional = false
  for (;;) {
    const def = defOf(schema)
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault') { optional = true; schema = def.innerType as z.ZodType; continue }
    if (def.type === 'nonoptional') { optional = false; schema = def.innerType as z.ZodType; continue }
    if (def.type === 'nullable' || def.type === 'readonly' || def.type === 'catch') { schema = def.innerType as z.ZodType; continue }
    if (def.type === 'pipe') { schema = def.in as z.ZodType; continue }
    if (def.type === 'lazy') { schema = (def.getter as () => z.ZodType)(); continue }
    return { schema, optional }
  }
}

export type OurCardinality = Cardinality | 'list that may be empty'

/** The field's cardinality, and the schema of one value (the element, for a list). */
export function fieldOf(schema: z.ZodType): { cardinality: OurCardinality; value: z.ZodType } {
  const { schema: inner, optional } = unwrap(schema)
  const def = defOf(inner)
  if (def.type !== 'array') return { cardinality: optional ? '?' : '1', value: inner }
  const value = unwrap(def.element as z.ZodType).schema
  if (optional) return { cardinality: '*', value }
  const minimum = checksOf(inner).find((check) => check.check === 'min_length')?.minimum as number | undefined
  return { cardinality: (minimum ?? 0) >= 1 ? '+' : 'list that may be empty', value }
}

export function objectFields(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = defOf(unwrap(schema).schema)
  return def.type === 'object' ? (def.shape as Record<string, z.ZodType>) : undefined
}

/** The values of an enum; `open` when any other string is accepted too (an OpenEnum written as enum | string). */
export function enumValues(schema: z.ZodType): { values: string[]; open: boolean } | undefined {
  const def = defOf(unwrap(schema).schema)
  if (def.type === 'enum') return { values: Object.values(def.entries as Record<string, string>), open: false }
  if (def.type === 'literal') return { values: (def.values as unknown[]).map(String), open: false }
  if (def.type !== 'union') return undefined
  const members = (def.options as z.ZodType[]).map((option) => ({ def: defOf(unwrap(option).schema), values: enumValues(option) }))
  if (!members.some((member) => member.values)) return undefined
  return {
    values: members.flatMap((member) => member.values?.values ?? []),
    open: members.some((member) => member.def.type === 'string' || member.values?.open),
  }
}

/** string, number, boolean, object, enum or what else the schema is. */
export function kindOf(schema: z.ZodType): string {
  const inner = unwrap(schema).schema
  if (enumValues(inner)) return 'enum'
  const type = defOf(inner).type
  return type === 'int' ? 'number' : type
}

/** The maximum length of a string (`.max(n)` or `.length(n)`), if any. */
export function maxLength(schema: z.ZodType): number | undefined {
  const inner = unwrap(schema).schema
  if (defOf(inner).type !== 'string') return undefined
  const check = checksOf(inner).find((each) => each.check === 'max_length' || each.check === 'length_equals')
  return check ? ((check.maximum ?? check.length) as number) : undefined
}
