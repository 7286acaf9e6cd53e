import { encodeAuthorization } from '../ocpi/auth'
import type { PartyRef } from '../ocpi/context'
import { OCPI_FROM_COUNTRY, OCPI_FROM_PARTY, OCPI_TO_COUNTRY, OCPI_TO_PARTY, retryAfterMs } from '../ocpi/headers'
import { checkPeerUrl } from '../ocpi/outbound-url'
import { outboundSettings, type OutboundSettings } from './outbound-settings'
import { readBoundedText } from '../ocpi/bounded-text'

export interface OcpiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  /** Credentials token to present (sent Base64-encoded, or as is to a 2.1.1 peer). */
  token?: string
  /** The peer's OCPI version, when known: 2.1.1 peers get the token unencoded. */
  version?: string | null
  body?: unknown
  from?: PartyRef
  to?: PartyRef
  correlationId?: string
  timeoutMs?: number
  /** Extra attempts after a network error, timeout, HTTP 429 or 5xx. Default: 2 for idempotent methods, 0 for POST. */
  retries?: number
  /** The Worker's vars by default (outbound-settings.ts); tests pass their own. */
  settings?: OutboundSettings
}

export interface OcpiResponse<T = unknown> {
  http_status: number
  status_code: number
  status_message?: string
  data: T
  headers: Headers
  /** The URL called, as fetch read it (set by ocpiRequest; a paged pull resolves the next Link against it). */
  url?: string
}

/**
 * `refused`: the URL is outside the outbound URL policy and was never called. `too-large`: the answer exceeded
 * PEER_RESPONSE_MAX_BYTES and was not read further. `redirect`: a 3xx, which is never followed.
 */
export type OcpiClientFailure = 'network' | 'timeout' | 'http' | 'envelope' | 'refused' | 'too-large' | 'redirect'

export class OcpiClientError extends Error {
  constructor(
    readonly kind: OcpiClientFailure,
    message: string,
    readonly http_status?: number,
    readonly status_code?: number,
    /** Retry-After of a 429 or 503, for callers that schedule their own retries (the outbox). */
    readonly retry_after_ms?: number,
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
 * methods, and the envelope unwrapped. Throws OcpiClientError when the URL is refused, the peer cannot be reached or
 * answers outside OCPI or too much; an OCPI error status (2xxx/3xxx) is returned, not thrown, so callers decide what it
 * means. A Retry-After on 429 or 503 is waited for when it is within PEER_RETRY_AFTER_MAX_MS, else the attempts end.
 */
export async function ocpiRequest<T = unknown>(request: OcpiRequest): Promise<OcpiResponse<T>> {
  const settings = request.settings ?? outboundSettings()
  const retries = request.retries ?? (request.method === 'POST' ? 0 : 2)
  let lastError: OcpiClientError | undefined
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(Math.max(Math.min(2_000, 200 * 2 ** (attempt - 1)), lastError?.retry_after_ms ?? 0))
    try {
      return await attemptRequest<T>(request, settings)
    } catch (error) {
      if (!(error instanceof OcpiClientError)) throw error
      lastError = error
      const status = error.http_status ?? 0
      const retriable = error.kind === 'network' || error.kind === 'timeout' || (error.kind === 'http' && (status >= 500 || status === 429))
      if (!retriable || (error.retry_after_ms ?? 0) > settings.retryAfterMaxMs) throw error
    }
  }
  throw lastError!
}

async function attemptRequest<T>(request: OcpiRequest, settings: OutboundSettings): Promise<OcpiResponse<T>> {
  const where = `${request.method} ${request.url}`
  // Checked here too, not only where URLs are stored: every caller's URL, whatever its source, passes this one door.
  const checked = checkPeerUrl(request.url, settings.urlPolicy)
  if ('problem' in checked) throw new OcpiClientError('refused', `${where}: refused by the outbound URL policy (${checked.problem})`)
  const headers = new Headers({ 'X-Request-ID': crypto.randomUUID(), 'X-Correlation-ID': request.correlationId ?? crypto.randomUUID() })
  // 2.1.1 transport_and_format.md, "Request format": "Authorization: Token IpbJOXxkxOAuKR92z0nEcmVF3Qw09VG7I7d/WCg0koM="
  // is the token as issued; 2.2 and later encode it in Base64.
  if (request.token) headers.set('Authorization', request.version === '2.1.1' ? `Token ${request.token}` : encodeAuthorization(request.token))
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
    response = await fetch(checked.href, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      // A redirect could lead anywhere, our token along: it is an answer, never followed.
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    })
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    throw new OcpiClientError(timedOut ? 'timeout' : 'network', `${where}: ${timedOut ? 'timed out' : printable(String(error))}`)
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel()
    throw new OcpiClientError('redirect', `${where}: HTTP ${response.status} redirect, not followed`, response.status)
  }
  const retryAfter = response.status === 429 || response.status === 503 ? retryAfterMs(response.headers.get('Retry-After')) : undefined
  const text = await readBounded(response, settings.maxResponseBytes, where)
  let body: { data?: T; status_code?: number; status_message?: string } | undefined
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    body = undefined
  }
  if (!body || typeof body !== 'object' || typeof body.status_code !== 'number') {
    throw new OcpiClientError(response.ok ? 'envelope' : 'http', `${where}: HTTP ${response.status} without an OCPI envelope`, response.status, undefined, retryAfter)
  }
  if (response.status >= 500 || response.status === 429) {
    throw new OcpiClientError('http', `${where}: HTTP ${response.status} ${printable(body.status_message)}`.trim(), response.status, body.status_code, retryAfter)
  }
  // The peer's status_message reaches logs and management answers: printable and short, whatever it sent.
  const status_message = typeof body.status_message === 'string' ? printable(body.status_message) : undefined
  return { http_status: response.status, status_code: body.status_code, status_message, data: body.data as T, headers: response.headers, url: new URL(request.url).href }
}

/**
 * The body as text, read until `maxBytes` and no further: a peer (or whatever a DNS name leads to) cannot make us hold
 * more. Content-Length is checked first; the count while reading covers chunked and compressed answers.
 */
async function readBounded(response: Response, maxBytes: number, where: string): Promise<string> {
  const tooLarge = () => new OcpiClientError('too-large', `${where}: answer larger than ${maxBytes} bytes, not read`, response.status)
  const declared = Number(response.headers.get('Content-Length') ?? '')
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel()
    throw tooLarge()
  }
  return readBoundedText(response.body, maxBytes, tooLarge)
}

/** A peer's status_message as we repeat it: printable, at most 200 characters. */
const printable = (message: unknown) => (typeof message === 'string' ? message.replace(/[^\x20-\x7E]/g, '?').slice(0, 200) : '')

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
