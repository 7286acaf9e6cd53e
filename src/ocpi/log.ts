// The one place where errors and requests become log lines. Logs leave the platform (Workers Logs, tail consumers, log
// push), so they carry no personal data and no credentials (GDPR data minimisation): no SQL parameters (drizzle puts
// every bound value of a failed query into its message), no token uids or contract ids, no tokens. docs/security.md,
// "Logs and redaction".

const REDACTED = '[redacted]'

/** JSON members whose values identify a driver or authorize a request. */
const PERSONAL_KEYS = /("(?:uid|token_uid|contract_id|auth_id|visual_number|emaid|authorization_reference|token|outbound_token|token_a|token_b|token_c|credentials_token)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi
/** Token paths: mod_tokens `{country_code}/{party_id}/{token_uid}`, `{token_uid}/authorize`; admin `/tokens/...`. */
const TOKEN_PATHS = /(\/tokens\/)[^\s?#"']+/gi
/** Authorization header values: `Token <base64>` (OCPI), `Bearer <admin token>`. */
const CREDENTIALS = /\b(Token|Bearer)\s+[A-Za-z0-9+/=._~-]{6,}/g
/** drizzle's DrizzleQueryError message: `Failed query: <sql>\nparams: <values>`. */
const QUERY_PARAMS = /(\bparams:)[\s\S]*?(?=\n\s+at |\ncaused by: |$)/g

/** `text` with SQL parameters, token uids, contract ids and credentials replaced by [redacted]. */
export function redact(text: string): string {
  return text
    .replace(QUERY_PARAMS, `$1 ${REDACTED}`)
    .replace(PERSONAL_KEYS, `$1"${REDACTED}"`)
    .replace(TOKEN_PATHS, `$1${REDACTED}`)
    .replace(CREDENTIALS, `$1 ${REDACTED}`)
}

/** An error as a log line: name, message and causes redacted; stack frames kept (they hold code locations only). */
export function describeError(error: unknown, depth = 0): string {
  if (!(error instanceof Error)) return redact(typeof error === 'string' ? error : safeJson(error))
  const isQueryError = 'query' in error && 'params' in error
  const message = isQueryError ? `Failed query: ${String(error.query)}\nparams: ${REDACTED}` : error.message
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 10)
  const cause = error.cause !== undefined && depth < 4 ? `\ncaused by: ${describeError(error.cause, depth + 1)}` : ''
  return `${redact(`${error.name}: ${message}`)}${frames.length ? `\n${frames.join('\n')}` : ''}${cause}`
}

/** Logs an error with what it was doing; the only console.error of the platform. */
export function logError(context: string, error?: unknown): void {
  console.error(error === undefined ? redact(context) : `${redact(context)}: ${describeError(error)}`)
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/**
 * One request as a log line. Built only from values that cannot carry personal data: the route as registered (a
 * pattern such as `/ocpi/2.3.0/receiver/tokens/:country_code/:party_id/:token_uid`, never the raw path, which holds
 * token uids and contract ids), message IDs and the peer's internal id.
 */
export interface RequestLogLine {
  request_id: string
  correlation_id: string
  /** The authenticated peer (OCPI requests); null for the management API and unauthenticated requests. */
  peer_id: string | null
  /** OCPI module id (`locations`, `versions`...) or the first segment of a management route (`peers`, `tokens`...). */
  module: string | null
  method: string
  /** The matched route pattern; null when no route matched (the raw path is never logged). */
  route: string | null
  status: number
  /** status_code of the OCPI envelope, when the response carried one. */
  ocpi_status_code: number | null
  duration_ms: number
}

/** Writes one JSON line per request (Workers Logs parse JSON lines into fields); the only console.log of the platform. */
export function logRequest(line: RequestLogLine): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), level: line.status >= 500 ? 'error' : 'info', type: 'request', ...line }))
}
