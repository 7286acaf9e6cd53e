import type { ErrorHandler } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { OcpiEnv } from './context'
import { envelope } from './envelope'
import { OcpiError } from './errors'
import { logError } from './log'

/**
 * The only place that builds an OCPI error envelope. A request that parsed and authenticated has reached the OCPI layer:
 * HTTP 200 and the status_code tells the rest, except bad token (401), invalid JSON (400), unknown object on GET (404)
 * and the credentials 405s.
 */
export const toOcpiResponse: ErrorHandler<OcpiEnv> = (error, c) => {
  if (!(error instanceof OcpiError)) logError('ocpi error', error)
  const ocpiError = error instanceof OcpiError ? error : new OcpiError(3000, 'Internal error', { http_status: 500 })
  c.set('ocpiStatusCode', ocpiError.status_code)
  const data = ocpiError.detail.data ?? (ocpiError.detail.path ? { path: ocpiError.detail.path } : undefined)
  const response = c.json(envelope(data, ocpiError.status_code, ocpiError.message), (ocpiError.detail.http_status ?? 200) as ContentfulStatusCode)
  const requestId = c.get('requestId')
  if (requestId) response.headers.set('X-Request-ID', requestId)
  const correlationId = c.get('correlationId')
  if (correlationId) response.headers.set('X-Correlation-ID', correlationId)
  return response
}
