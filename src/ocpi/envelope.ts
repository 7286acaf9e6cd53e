import type { Context } from 'hono'
import type { OcpiStatusCode } from './errors'

export interface Envelope<T> {
  data?: T
  status_code: number
  status_message?: string
  timestamp: string
}

/**
 * An envelope's `timestamp`, "The time this message was generated" (transport_and_format, "Response format"): now, to the
 * second. DateTime makes fractional seconds optional (types, "DateTime": "Fractional seconds MAY be used"), and the
 * spec's own envelopes are stamped to the second. A remembered page is stamped once per second and that body is sent
 * by every hit in the second (src/modules/locations/page-cache.ts), so every envelope is stamped the same way.
 */
export function envelopeTimestamp(now = Date.now()): string {
  return `${new Date(now).toISOString().slice(0, 19)}Z`
}

/** `data` is left out when undefined, as transport_and_format advises for responses that carry none. */
export function envelope<T>(data: T | undefined, status_code: number = 1000, status_message = 'Success'): Envelope<T> {
  const body: Envelope<T> = { status_code, status_message, timestamp: envelopeTimestamp() }
  return data === undefined ? body : { data, ...body }
}

/** Renders a successful OCPI response. HTTP 201 only where the spec says Created (credentials POST). */
export function respond<T>(c: Context, data: T, options: { http_status?: 200 | 201; status_code?: 1000 | OcpiStatusCode; status_message?: string } = {}) {
  c.set('ocpiStatusCode', options.status_code ?? 1000)
  return c.json(envelope(data, options.status_code ?? 1000, options.status_message), options.http_status ?? 200)
}

/**
 * The answer to a push (PUT) to a Receiver interface: status_codes.asciidoc, "201 Created when the object has been
 * newly created in the server system", 200 when it existed; no data (transport_and_format, "Response format").
 */
export const respondPut = (c: Context, created: boolean) => respond(c, undefined, { http_status: created ? 201 : 200 })

/**
 * A successful response whose `data` is a list of objects already serialized as JSON (e.g. precomputed per version in
 * the store), joined without parsing them again.
 */
export const respondSerializedList = (c: Context, items: readonly string[], statusMessage?: string) =>
  respondListHead(c, serializedListHead(items, statusMessage))

/** Sends a list body built by `serializedListHead`, stamped now. */
export function respondListHead(c: Context, head: string) {
  c.set('ocpiStatusCode', 1000)
  return c.body(`${head}${listBodyTail()}`, 200, { 'Content-Type': 'application/json' })
}

/**
 * A list response's body up to its timestamp (`{"data":[...],"status_code":1000,"status_message":"...",`), so a page
 * kept for later is sent with the timestamp of the response that carries it (transport_and_format, "Response format").
 */
export function serializedListHead(items: readonly string[], statusMessage?: string): string {
  const { timestamp: _, ...rest } = envelope(undefined, 1000, statusMessage)
  return `{"data":[${items.join(',')}],${JSON.stringify(rest).slice(1, -1)},`
}

/** The end of a list body whose head `serializedListHead` built: the timestamp of `now`. */
export const listBodyTail = (now = Date.now()) => `"timestamp":"${envelopeTimestamp(now)}"}`
