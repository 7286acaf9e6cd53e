import type { ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { isWriteConflict } from '../db/conflict'
import { OcpiError } from '../ocpi/errors'
import type { AdminEnv } from './context'
import { logError } from '../ocpi/log'

/** Management API errors: HTTP 4xx/5xx with { error: { code, message, path? } }. */
export const toAdminResponse: ErrorHandler<AdminEnv> = (error, c) => {
  if (error instanceof HTTPException) return c.json({ error: { code: error.status, message: error.message } }, error.status)
  // Lost a race with another write (compare-and-swap rounds exhausted, a key taken meanwhile): the client may retry.
  if (isWriteConflict(error)) return c.json({ error: { code: 3000, message: error instanceof OcpiError ? error.message : 'Changed concurrently; try again' } }, 409)
  if (!(error instanceof OcpiError)) {
    logError('admin error', error)
    return c.json({ error: { code: 3000, message: 'Internal error' } }, 500)
  }
  const body = { error: { code: error.status_code, message: error.message, ...(error.detail.path ? { path: error.detail.path } : {}) } }
  return c.json(body, adminHttpStatus(error))
}

function adminHttpStatus(error: OcpiError): ContentfulStatusCode {
  const explicit = error.detail.http_status
  if (explicit && explicit >= 400) return explicit as ContentfulStatusCode
  switch (error.status_code) {
    case 2003: case 2004: case 4001: return 404
    case 3001: case 4002: case 4003: return 502
    case 3002: case 3003: return 422
    case 3000: return 500
    default: return 400
  }
}
