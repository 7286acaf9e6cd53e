import type { z } from 'zod'

export type OcpiStatusCode =
  | 2000 | 2001 | 2002 | 2003 | 2004
  | 3000 | 3001 | 3002 | 3003
  | 4000 | 4001 | 4002 | 4003
  | 2900 | 2901

/** HTTP statuses OCPI allows besides 200: bad token, invalid JSON, unknown object on GET, method not allowed, created. */
export type OcpiHttpStatus = 200 | 400 | 401 | 403 | 404 | 405 | 409 | 413 | 500 | 503

export class OcpiError extends Error {
  constructor(
    readonly status_code: OcpiStatusCode,
    message: string,
    readonly detail: { path?: string; http_status?: OcpiHttpStatus; data?: unknown } = {},
  ) {
    super(message)
  }

  /** The first issue names the field, e.g. "evses.0.uid". */
  static fromZod(error: z.ZodError, prefix?: string): OcpiError {
    const [issue = { path: [], message: 'Invalid input' }] = error.issues
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== undefined && part !== '').join('.')
    return new OcpiError(2001, path ? `${path}: ${issue.message}` : issue.message, { path })
  }

  static unknownObject(what: string): OcpiError {
    return new OcpiError(2003, `Unknown ${what}`, { http_status: 404 })
  }
}

/** A path no OCPI endpoint answers (in this version, or for this peer): HTTP 404 with 2000. */
export const unknownEndpoint = () => new OcpiError(2000, 'Unknown OCPI endpoint', { http_status: 404 })

export const invalid = (path: string, message: string) => new OcpiError(2001, `${path}: ${message}`, { path })

/** An owner write older than what is stored: never applied (management API answers HTTP 409). */
export const staleWrite = (what: string) =>
  new OcpiError(2001, `${what} holds a newer last_updated: an older write never overwrites it`, { path: 'last_updated', http_status: 409 })
