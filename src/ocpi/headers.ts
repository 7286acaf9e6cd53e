import type { MiddlewareHandler } from 'hono'
import type { OcpiEnv } from './context'

/** Longest X-Request-ID / X-Correlation-ID taken from a peer (a UUID is 36; OCPI sets no limit). */
export const MAX_MESSAGE_ID_LENGTH = 255

/** A message ID we echo: printable ASCII without spaces, at most MAX_MESSAGE_ID_LENGTH characters. */
export const isUsableMessageId = (value: string | undefined): value is string =>
  value !== undefined && value.length > 0 && value.length <= MAX_MESSAGE_ID_LENGTH && /^[\x21-\x7E]+$/.test(value)

/**
 * X-Request-ID / X-Correlation-ID (transport_and_format, "Unique message IDs"): echo what the peer sent, generate what
 * is missing, and put both on every response, errors included. An ID that is too long or not printable is replaced
 * with a fresh one rather than refused: the IDs only trace messages, and echoing a peer's kilobytes back (or into
 * logs) is what the limit prevents.
 */
export function messageIds(): MiddlewareHandler<OcpiEnv> {
  return async (c, next) => {
    const sentRequestId = c.req.header('X-Request-ID')
    const sentCorrelationId = c.req.header('X-Correlation-ID')
    const requestId = isUsableMessageId(sentRequestId) ? sentRequestId : crypto.randomUUID()
    const correlationId = isUsableMessageId(sentCorrelationId) ? sentCorrelationId : crypto.randomUUID()
    c.set('requestId', requestId)
    c.set('correlationId', correlationId)
    await next()
    c.res.headers.set('X-Request-ID', requestId)
    c.res.headers.set('X-Correlation-ID', correlationId)
  }
}

/**
 * Retry-After (RFC 9110 section 10.2.3) in milliseconds from `now`: delay-seconds or an HTTP-date; undefined when absent
 * or unreadable. Never negative.
 */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (typeof header !== 'string') return undefined
  const value = header.trim()
  if (/^\d{1,10}$/.test(value)) return Number(value) * 1000
  if (value.length > 64 || !/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) return undefined
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

export const OCPI_FROM_COUNTRY = 'OCPI-from-country-code'
export const OCPI_FROM_PARTY = 'OCPI-from-party-id'
export const OCPI_TO_COUNTRY = 'OCPI-to-country-code'
export const OCPI_TO_PARTY = 'OCPI-to-party-id'
