// The Link header (RFC 8288) of a paged answer: transport_and_format "Pagination" names only rel="next", but a peer may
// send several links, parameters in any order, quoted or not, and a rel list ("next last"). One parser reads them all.

export interface LinkValue {
  uri: string
  rel: string[]
}

/** Header values longer than this are not read: no sane page URL needs more, and the value came from a peer. */
const MAX_LINK_HEADER_LENGTH = 8192

/** Every link-value of the header, in order; malformed parts are skipped. Never throws. */
export function parseLinkHeader(header: string | null | undefined): LinkValue[] {
  if (typeof header !== 'string' || header.length > MAX_LINK_HEADER_LENGTH) return []
  const links: LinkValue[] = []
  const pattern = /<([^>]*)>((?:\s*;\s*[^;,=\s]+(?:\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^;,\s]*))?)*)/g
  for (const match of header.matchAll(pattern)) {
    const rel: string[] = []
    const [, uri = '', params = ''] = match
    for (const [, name = '', quotedOrBare] of params.matchAll(/;\s*([^;,=\s]+)(?:\s*=\s*("(?:[^"\\]|\\.)*"|[^;,\s]*))?/g)) {
      if (name.toLowerCase() !== 'rel' || quotedOrBare === undefined) continue
      const value = quotedOrBare.startsWith('"') ? quotedOrBare.slice(1, -1).replace(/\\(.)/g, '$1') : quotedOrBare
      rel.push(...value.toLowerCase().split(/\s+/).filter(Boolean))
    }
    links.push({ uri: uri.trim(), rel })
  }
  return links
}

/** The URI of the first link with rel "next", as sent (it may be relative to the request URL). */
export function nextLinkOf(header: string | null | undefined): string | undefined {
  return parseLinkHeader(header).find((link) => link.rel.includes('next') && link.uri !== '')?.uri
}
