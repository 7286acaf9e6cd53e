import type { Context } from 'hono'
import { readJson } from './body'
import { OcpiError } from './errors'

/** A JSON object: not null, not an array. */
export const isJsonObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** A request body that must be a JSON object (an OCPI object, whole or partial): 2001 for any other JSON. */
export async function readObjectBody(c: Context, what = 'a JSON object'): Promise<Record<string, unknown>> {
  const value = await readJson(c)
  if (!isJsonObject(value)) throw new OcpiError(2001, `Request body must be ${what}`)
  return value
}
