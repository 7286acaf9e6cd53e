import type { MiddlewareHandler } from 'hono'
import type { OcpiEnv } from './context'

/**
 * X-Request-ID / X-Correlation-ID (transport_and_format, "Unique message IDs"): echo what the peer sent,
 * generate what is missing, and put both on every response, errors included.
 */
export function messageIds(): MiddlewareHandler<OcpiEnv> {
  return async (c, next) => {
    const requestId = c.req.header('X-Request-ID') || crypto.randomUUID()
    const correlationId = c.req.header('X-Correlation-ID') || crypto.randomUUID()
    c.set('requestId', requestId)
    c.set('correlationId', correlationId)
    await next()
    c.res.headers.set('X-Request-ID', requestId)
    c.res.headers.set('X-Correlation-ID', correlationId)
  }
}

export const OCPI_FROM_COUNTRY = 'OCPI-from-country-code'
export const OCPI_FROM_PARTY = 'OCPI-from-party-id'
export const OCPI_TO_COUNTRY = 'OCPI-to-country-code'
export const OCPI_TO_PARTY = 'OCPI-to-party-id'
