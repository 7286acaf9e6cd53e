// Content negotiation of a response's coding (RFC 9110 12.5.3, Accept-Encoding). OCPI says nothing about it; the HTTP
// clients peers use ask for gzip by default (Go's net/http, OkHttp, .NET with automatic decompression, Node's fetch),
// and a 50-location page of 170 KB goes out as about a tenth of that.

/** One `coding;q=weight` member of an Accept-Encoding value. */
const MEMBER = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*(?:;\s*q\s*=\s*([0-9.]+)\s*)?(?:;.*)?$/

/**
 * Whether a peer that sent this Accept-Encoding takes a gzip body: gzip (or its alias x-gzip) with a weight above
 * zero, or, gzip not named, `*` with one. No header means no preference, which this platform answers with identity.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false
  let wildcard: boolean | undefined
  for (const member of header.split(',')) {
    const match = MEMBER.exec(member)
    if (!match) continue
    const coding = match[1]!.toLowerCase()
    const accepted = match[2] === undefined || Number(match[2]) > 0
    if (coding === 'gzip' || coding === 'x-gzip') return accepted
    if (coding === '*') wildcard = accepted
  }
  return wildcard ?? false
}
