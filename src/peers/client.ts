import { encodeAuthorization } from '../ocpi/auth'
import type { PartyRef } from '../ocpi/context'
import { OCPI_FROM_COUNTRY, OCPI_FROM_PARTY, OCPI_TO_COUNTRY, OCPI_TO_PARTY } from '../ocpi/headers'

export interface OcpiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  /** Credentials token to present (sent Base64-encoded). */
  token?: string
  body?: unknown
  from?: PartyRef
  to?: PartyRef
  correlationId?: string
  timeoutMs?: number
  /** Extra attempts after a network error, timeout or HTTP 5xx. Default: 2 for idempotent methods, 0 for POST. */
  retries?: number
}

export interface OcpiResponse<T = unknown> {
  http_status: number
  status_code: number
  status_message?: string
  data: T
  headers: Headers
}

export type OcpiClientFailure = 'network' | 'timeout' | 'http' | 'envelope'

export class OcpiClientError extends Error {
  constructor(
    readonly kind: OcpiClientFailure,
    message: string,
    readonly http_status?: number,
    readonly status_code?: number,
  ) {
    super(message)
  }
}

const DEFAULT_TIMEOUT_MS = 10_000

/** OCPI_CLIENT_TIMEOUT_MS, the timeout of every call we make to a peer. */
export const clientTimeout = (env: { OCPI_CLIENT_TIMEOUT_MS?: string }) => Number(env.OCPI_CLIENT_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS

/** A peer's endpoint URL followed by URL-encoded path segments (ids may hold '/' or '+') and the defined query values. */
export function endpointUrl(endpoint: string, path: readonly string[] = [], query: Record<string, string | undefined> = {}): string {
  const url = [endpoint.replace(/\/+$/, ''), ...path.map(encodeURIComponent)].join('/')
  const entries = Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined)
  return entries.length === 0 ? url : `${url}?${new URLSearchParams(entries)}`
}

/**
 * One OCPI call: Authorization, message IDs and routing headers, a timeout, retries with backoff for idempotent
 * methods, and the envelope unwrapped. Throws OcpiClientError when the peer cannot be reached or answers outside
 * OCPI; an OCPI error status (2xxx/3xxx) is returned, not thrown, so callers decide what it means.
 */
export async function ocpiRequest<T = unknown>(request: OcpiRequest): Promise<OcpiResponse<T>> {
  const retries = request.retries ?? (request.method === 'POST' ? 0 : 2)
  let lastError: OcpiClientError | undefined
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(Math.min(2_000, 200 * 2 ** (attempt - 1)))
    try {
      return await attemptRequest<T>(request)
    } catch (error) {
      if (!(error instanceof OcpiClientError)) throw error
      lastError = error
      const retriable = error.kind === 'network' || error.kind === 'timeout' || (error.http_status ?? 0) >= 500
      if (!retriable) throw error
    }
  }
  throw lastError!
}

async function attemptRequest<T>(request: OcpiRequest): Promise<OcpiResponse<T>> {
  const headers = new Headers({ 'X-Request-ID': crypto.randomUUID(), 'X-Correlation-ID': request.correlationId ?? crypto.randomUUID() })
  if (request.token) headers.set('Authorization', encodeAuthorization(request.token))
  if (request.body !== undefined) headers.set('Content-Type', 'application/json')
  if (request.from) {
    headers.set(OCPI_FROM_COUNTRY, request.from.country_code)
    headers.set(OCPI_FROM_PARTY, request.from.party_id)
  }
  if (request.to) {
    headers.set(OCPI_TO_COUNTRY, request.to.country_code)
    headers.set(OCPI_TO_PARTY, request.to.party_id)
  }
  let response: Response
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    })
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    throw new OcpiClientError(timedOut ? 'timeout' : 'network', `${request.method} ${request.url}: ${timedOut ? 'timed out' : String(error)}`)
  }
  const text = await response.text()
  let body: { data?: T; status_code?: number; status_message?: string } | undefined
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    body = undefined
  }
  if (!body || typeof body.status_code !== 'number') {
    throw new OcpiClientError(response.ok ? 'envelope' : 'http', `${request.method} ${request.url}: HTTP ${response.status} without an OCPI envelope`, response.status)
  }
  if (response.status >= 500) {
    throw new OcpiClientError('http', `${request.method} ${request.url}: HTTP ${response.status} ${body.status_message ?? ''}`.trim(), response.status, body.status_code)
  }
  return { http_status: response.status, status_code: body.status_code, status_message: body.status_message, data: body.data as T, headers: response.headers }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
