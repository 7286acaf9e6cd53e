import { toHex } from './urls'
import { OcpiError } from './errors'

const encoder = new TextEncoder()

/** SHA-256 hex of a credentials token: the only form in which tokens we issue are stored. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(token))
  return toHex(digest)
}

/**
 * Whether two strings are equal, in time that depends only on their length. Compares UTF-16 code units: encoding both
 * for crypto.subtle.timingSafeEqual cost more than the rest of checking a remembered token.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let index = 0; index < a.length; index++) difference |= a.charCodeAt(index) ^ b.charCodeAt(index)
  return difference === 0
}

/** 128 bits of randomness, URL-safe; OCPI allows up to 64 printable characters. */
export function newCredentialsToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Base64 per RFC 4648 section 4 of the UTF-8 token, as OCPI 2.2-d2 and later require. */
export function encodeAuthorization(token: string): string {
  const bytes = encoder.encode(token)
  return `Token ${btoa(String.fromCharCode(...bytes))}`
}

/**
 * Candidate credentials tokens in an Authorization header, most likely first.
 * Many 2.1.1/2.2 peers send the raw token (transport_and_format: "Many OCPI 2.1.1 and 2.2 implementations do not
 * Base64 encode..."), so a value that decodes to printable ASCII is tried decoded first, then as sent.
 */
export function tokenCandidates(header: string | undefined | null): string[] {
  if (!header) throw new OcpiError(2000, 'Missing Authorization header', { http_status: 401 })
  const value = /^Token\s+(\S+)\s*$/i.exec(header)?.[1]
  if (value === undefined) throw new OcpiError(2000, 'Authorization header must be "Token <credentials token>"', { http_status: 401 })
  const decoded = decodeBase64Token(value)
  return decoded !== undefined && decoded !== value ? [decoded, value] : [value]
}

function decodeBase64Token(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined
  try {
    const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'))
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)))
    // The spec's own example encodes a trailing newline ("ZXhhbXBsZS10b2tlbgo="): tolerate it.
    const token = text.replace(/\r?\n$/, '')
    return /^[\x21-\x7E]+$/.test(token) ? token : undefined
  } catch {
    return undefined
  }
}
