// Which URLs a peer may make us call (docs/security.md, "Outbound URL policy"). A peer chooses its versions URL, every
// endpoint URL and every Link next URL; without this check it could point our fetch, with our credentials token, at the
// operator's own network: loopback, private ranges, link-local cloud metadata.

/** `allowPrivate`: true for local development and tests; a list of `host:port` allows exactly those (e.g. harness ports). */
export interface PeerUrlPolicy {
  allowPrivate: boolean | readonly string[]
}

export const REFUSE_PRIVATE: PeerUrlPolicy = { allowPrivate: false }

/** ALLOW_PRIVATE_PEER_URLS: unset, empty or "false" refuses (production); "true" allows all; else a list of host:port. */
export function peerUrlPolicy(setting: string | undefined): PeerUrlPolicy {
  const value = (setting ?? '').trim()
  if (value === '' || value.toLowerCase() === 'false') return REFUSE_PRIVATE
  if (value.toLowerCase() === 'true') return { allowPrivate: true }
  return { allowPrivate: value.split(',').map((entry) => entry.trim().toLowerCase()).filter(Boolean) }
}

/**
 * Why `url` may not be called, or undefined when it may. The URL is read with the WHATWG parser, the one fetch uses, so
 * every spelling of an address (`127.1`, `0x7f.1`, `2130706433`, `017700000001`, `[::ffff:127.0.0.1]`) is judged in
 * the form fetch would connect to. Never throws.
 */
export function peerUrlProblem(url: string, policy: PeerUrlPolicy): string | undefined {
  const checked = checkPeerUrl(url, policy)
  return 'problem' in checked ? checked.problem : undefined
}

/**
 * peerUrlProblem, with the URL as fetch will request it (WHATWG-serialized) when it may be called: a caller that
 * fetches needs no second parse (on the push path, a URL object per push that only a major collection frees).
 */
export function checkPeerUrl(url: string, policy: PeerUrlPolicy): { href: string } | { problem: string } {
  if (typeof url !== 'string' || !URL.canParse(url)) return { problem: 'not an absolute URL' }
  const parsed = new URL(url)
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { problem: `scheme ${parsed.protocol} is not http(s)` }
  // Userinfo hides the real host from a reader (http://peer.example@127.0.0.1/) and would send credentials along.
  if (parsed.username !== '' || parsed.password !== '') return { problem: 'URLs with user information are refused' }
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '')
  const kind = privateHostKind(host)
  if (!kind || policy.allowPrivate === true) return { href: parsed.href }
  if (Array.isArray(policy.allowPrivate) && policy.allowPrivate.includes(`${host}:${effectivePort(parsed)}`)) return { href: parsed.href }
  return { problem: `${kind} addresses are refused` }
}

const effectivePort = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : '80')

/** The kind of non-public host, or undefined for a public IP address or a DNS name that may be public. */
export function privateHostKind(host: string): string | undefined {
  if (host === '') return 'empty host'
  if (host.startsWith('[')) return ipv6Kind(host.slice(1, -1))
  const ipv4 = parseIpv4(host)
  if (ipv4 !== undefined) return ipv4Kind(ipv4)
  // Names the resolver answers locally, or that only an internal resolver knows (GCP metadata.google.internal).
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback'
  if (!host.includes('.')) return 'single-label'
  if (/\.(local|internal|intranet|lan|home\.arpa|localdomain)$/.test(host)) return 'internal-name'
  return undefined
}

/** A dotted-quad the WHATWG parser already normalised; anything else is a name. */
function parseIpv4(host: string): number | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)
  if (!match) return undefined
  const octets = match.slice(1, 5).map(Number)
  if (octets.some((octet) => octet > 255)) return undefined
  return octets.reduce((address, octet) => address * 256 + octet, 0)
}

// IANA IPv4 Special-Purpose Address Registry (RFC 6890) and multicast: none of these is a peer on the internet.
const IPV4_BLOCKS: [string, number, string][] = [
  ['0.0.0.0', 8, 'this-network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
]
const ipv4Blocks = IPV4_BLOCKS.map(([base, bits, kind]) => ({ base: parseIpv4(base)!, mask: bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0, kind }))

function ipv4Kind(address: number): string | undefined {
  return ipv4Blocks.find((block) => ((address & block.mask) >>> 0) === block.base)?.kind
}

/** Eight 16-bit groups of a bracket-less IPv6 literal as the WHATWG parser writes it (hex, `::` compression, no dots). */
type Ipv6Groups = [number, number, number, number, number, number, number, number]

function parseIpv6(literal: string): Ipv6Groups | undefined {
  const [before = '', after, ...more] = literal.split('::')
  if (more.length > 0) return undefined
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((group) => (/^[0-9a-f]{1,4}$/.test(group) ? Number.parseInt(group, 16) : Number.NaN)))
  const head = groups(before)
  const tail = after === undefined ? [] : groups(after)
  const fill = after === undefined ? 0 : 8 - head.length - tail.length
  const all = [...head, ...new Array<number>(Math.max(fill, 0)).fill(0), ...tail]
  return isIpv6Groups(all) ? all : undefined
}

function isIpv6Groups(groups: number[]): groups is Ipv6Groups {
  return groups.length === 8 && groups.every((group) => Number.isInteger(group))
}

function ipv6Kind(literal: string): string | undefined {
  const groups = parseIpv6(literal.toLowerCase())
  if (!groups) return 'unreadable IPv6'
  const embeddedIpv4 = ((groups[6] << 16) >>> 0) + groups[7]
  const zeros = (count: number) => groups.slice(0, count).every((group) => group === 0)
  if (zeros(8)) return 'unspecified'
  if (zeros(7) && groups[7] === 1) return 'loopback'
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address.
  if (zeros(5) && groups[5] === 0xffff) return ipv4Kind(embeddedIpv4)
  if (zeros(6)) return ipv4Kind(embeddedIpv4) ?? 'IPv4-compatible'
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0)) return ipv4Kind(embeddedIpv4)
  if (groups[0] === 0x2002) return ipv4Kind(((groups[1] << 16) >>> 0) + groups[2]) // 6to4 embeds the IPv4 in groups 1-2
  if ((groups[0] & 0xfe00) === 0xfc00) return 'unique-local'
  if ((groups[0] & 0xffc0) === 0xfe80) return 'link-local'
  if ((groups[0] & 0xffc0) === 0xfec0) return 'site-local'
  if ((groups[0] & 0xff00) === 0xff00) return 'multicast'
  if (groups[0] === 0x2001 && groups[1] === 0x0db8) return 'documentation'
  if (groups[0] === 0x0100 && groups.slice(1, 4).every((group) => group === 0)) return 'discard'
  return undefined
}
