import type { Context } from 'hono'
import type { z } from 'zod'
import { readBoundedText } from './bounded-text'
import { OcpiError } from './errors'
import { rejectNulCharacters } from './nul'

/** INBOUND_BODY_MAX_BYTES by default: a body larger than this is HTTP 413 and is never held in memory whole. */
export const DEFAULT_INBOUND_BODY_MAX_BYTES = 4 * 1024 * 1024

export function inboundBodyLimit(env: { INBOUND_BODY_MAX_BYTES?: string } | undefined): number {
  const limit = Number(env?.INBOUND_BODY_MAX_BYTES)
  return Number.isFinite(limit) && limit > 0 ? limit : DEFAULT_INBOUND_BODY_MAX_BYTES
}

const tooLarge = (limit: number) => new OcpiError(2000, `Request body larger than ${limit} bytes`, { http_status: 413 })

/**
 * The request body as text, at most INBOUND_BODY_MAX_BYTES: a declared Content-Length over the limit is refused before
 * reading, and a chunked body is counted while it is read and refused the moment it passes the limit.
 */
export async function readText(c: Context): Promise<string> {
  const limit = inboundBodyLimit(c.env)
  const declared = Number(c.req.header('Content-Length') ?? '')
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit)
  // Read before (Hono keeps the text): the same limit held then, or it is checked now.
  if (c.req.raw.bodyUsed || Object.keys(c.req.bodyCache).length > 0) {
    const text = await c.req.text()
    if (new TextEncoder().encode(text).byteLength > limit) throw tooLarge(limit)
    return text
  }
  const text = await readBoundedText(c.req.raw.body, limit, () => tooLarge(limit))
  // Handlers that read the body again through Hono get this text, not an emptied stream.
  ;(c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text)
  return text
}

/** Reads the JSON body: too large is HTTP 413, invalid JSON is HTTP 400 / 2001. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await readText(c)
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
