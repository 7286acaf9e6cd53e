import type { Context } from 'hono'
import type { z } from 'zod'
import { OcpiError } from './errors'
import { rejectNulCharacters } from './nul'

/** Reads the JSON body: invalid JSON is HTTP 400 / 2001; the schema's first failing field is 2001 with its path. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text()
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new OcpiError(2001, 'Request body is not valid JSON', { http_status: 400 })
  }
  rejectNulCharacters(value)
  return value
}

export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  return parseWith(schema, await readJson(c))
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw OcpiError.fromZod(result.error)
  return result.data
}
