import type { z } from 'zod'
import type { SpecDefinition, SpecEnum, SpecObject } from './asciidoc'
import { enumValues, fieldOf, kindOf, maxLength, objectFields } from './zod-shape'

// Compares the spec's objects with our zod schemas: starting from the root objects of each module, it follows every
// field whose type is another object or an enum, so nested classes and enums are found through the schema that
// actually reads them (and compared once for every distinct schema that reads them).

const PRIMITIVES: Record<string, string> = {
  types_string_type: 'string', types_cistring_type: 'string', types_datetime_type: 'string', types_url_type: 'string',
  types_number_type: 'number', int: 'number', number: 'number', decimal: 'number', boolean: 'boolean', string: 'string',
}

export interface CensusResult {
  /** `Object.field[ in Root]: what (spec x, ours y)`, sorted; `in Root` names the root object it was reached from. */
  differences: string[]
  objects: Set<string>
  enums: Set<string>
  fields: number
  enumValues: number
}

export function runCensus(definitions: Map<string, SpecDefinition>, roots: Record<string, z.ZodType>): CensusResult {
  const result: CensusResult = { differences: [], objects: new Set(), enums: new Set(), fields: 0, enumValues: 0 }
  const seen = new Map<string, Set<z.ZodType>>()
  const differences = new Set<string>()
  let root = ''
  const differ = (where: string, what: string, spec: unknown, ours: unknown) => {
    const within = where.split('.')[0] === root ? '' : ` in ${root}`
    differences.add(`${where}${within}: ${what} (spec ${spec}, ours ${ours})`)
  }

  function visit(anchor: string, schema: z.ZodType) {
    const definition = definitions.get(anchor)
    if (!definition) throw new Error(`No definition for ${anchor}`)
    const schemas = seen.get(anchor) ?? new Set()
    if (schemas.has(schema)) return
    schemas.add(schema)
    seen.set(anchor, schemas)
    if (definition.kind === 'enum') compareEnum(definition, schema)
    else compareObject(definition, schema)
  }

  function compareEnum(definition: SpecEnum, schema: z.ZodType) {
    const ours = enumValues(schema)
    if (!result.enums.has(definition.anchor)) { result.enums.add(definition.anchor); result.enumValues += definition.values.length }
    if (!ours) return differ(definition.name, 'not an enum', definition.open ? 'OpenEnum' : 'enum', kindOf(schema))
    for (const value of definition.values) if (!ours.values.includes(value)) differ(`${definition.name}.${value}`, 'value missing', 'has it', 'lacks it')
    for (const value of ours.values) if (!definition.values.includes(value)) differ(`${definition.name}.${value}`, 'value added', 'lacks it', 'has it')
    if (definition.open !== ours.open) differ(definition.name, 'openness', definition.open ? 'OpenEnum' : 'closed enum', ours.open ? 'open' : 'closed')
  }

  function compareObject(definition: SpecObject, schema: z.ZodType) {
    const shape = objectFields(schema)
    if (!result.objects.has(definition.anchor)) { result.objects.add(definition.anchor); result.fields += definition.fields.length }
    if (!shape) return differ(definition.name, 'not an object', 'object', kindOf(schema))
    for (const field of definition.fields) {
      const where = `${definition.name}.${field.name}`
      const ours = shape[field.name]
      if (!ours) { differ(where, 'field missing', field.cardinality, 'absent'); continue }
      const { cardinality, value } = fieldOf(ours)
      if (cardinality !== field.cardinality) differ(where, 'cardinality', field.cardinality, cardinality)
      const target = definitions.get(field.type)
      const expected = target ? target.kind : PRIMITIVES[field.type]
      const actual = kindOf(value)
      // A string read where the spec has an enum is reported once, by the enum comparison ("not an enum").
      const reportedByEnum = expected === 'enum' && actual === 'string'
      if (expected && expected !== actual && !(expected === 'string' && actual === 'enum') && !reportedByEnum) differ(where, 'type', expected, actual)
      if (target && (actual === 'object' || actual === 'enum' || target.kind === 'enum')) visit(target.anchor, value)
      if (field.max_length !== undefined && actual === 'string' && maxLength(value) !== field.max_length) differ(where, 'length', field.max_length, maxLength(value) ?? 'unlimited')
    }
    for (const name of Object.keys(shape)) if (!definition.fields.some((field) => field.name === name)) differ(`${definition.name}.${name}`, 'field added', 'absent', fieldOf(shape[name]!).cardinality)
  }

  for (const [anchor, schema] of Object.entries(roots)) {
    root = definitions.get(anchor)?.name ?? anchor
    visit(anchor, schema)
  }
  result.differences = [...differences].sort()
  return result
}
