import { z } from 'zod'

/** Field names one object schema has and the other lacks, plus those whose enum values differ (top level only). */
export function fieldsThatDiffer(canonical: z.ZodType, wire: z.ZodType): string[] {
  const left = shapeOf(canonical)
  const right = shapeOf(wire)
  const names = new Set([...Object.keys(left), ...Object.keys(right)])
  return [...names].filter((name) => !left[name] || !right[name] || enumText(left[name]) !== enumText(right[name])).sort()
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  let current: z.ZodType = schema
  while (!(current instanceof z.ZodObject)) current = (current as unknown as { def: { in?: z.ZodType; innerType?: z.ZodType; schema?: z.ZodType } }).def.innerType ?? (current as never as { def: { in: z.ZodType } }).def.in
  return current.shape as Record<string, z.ZodType>
}

/** The enum values a field accepts (through optional and array), or '' when it is not an enum. */
function enumText(schema: z.ZodType | undefined): string {
  let current = schema as unknown as { def: Record<string, unknown>; options?: unknown }
  for (let depth = 0; depth < 6 && current; depth++) {
    const def = current.def as { type: string; innerType?: unknown; element?: unknown; entries?: Record<string, string>; options?: unknown[] }
    if (def.type === 'enum') return Object.values(def.entries ?? {}).sort().join(',')
    if (def.type === 'union') return (def.options ?? []).map((option) => enumText(option as z.ZodType)).join('|')
    current = (def.innerType ?? def.element) as typeof current
  }
  return ''
}
