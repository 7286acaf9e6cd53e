import { z } from 'zod'
import type { Env } from '../env'
import type { Endpoint } from '../db/schema'
import { Version, VersionDetails, VersionDetails211 } from '../ocpi/objects/credentials'
import { servedModules } from './served-modules'
import { OcpiError } from '../ocpi/errors'
import { offeredVersions, pickMutualVersion, type OcpiVersion } from '../ocpi/versions'
import { peerUrlProblem } from '../ocpi/outbound-url'
import { clientTimeout, OcpiClientError, ocpiRequest } from './client'
import { outboundSettings, type OutboundSettings } from './outbound-settings'
import { endpointsOf211, isSingleParty, type Side } from './one-party-connection'

/** What we learn about a peer from its versions and version details endpoints. */
export interface PeerDiscovery {
  version: OcpiVersion
  endpoints: Endpoint[]
  credentialsUrl: string
}

/**
 * GET the peer's versions, choose the version (the one asked for, which both sides must offer, or the best mutual one),
 * GET its details. Anything unreachable or unreadable is 3001 ("Unable to use the client's API"), no mutual version 3002,
 * no credentials endpoint or no module both sides implement 3003 (credentials.asciidoc, "Required endpoints not available").
 */
export async function discoverPeer(env: Env, versionsUrl: string, token: string, requested?: OcpiVersion, side?: Side): Promise<PeerDiscovery> {
  const settings = outboundSettings(env)
  // The URL the peer (or the operator) gave: refused before any call, as invalid input (docs/security.md).
  const problem = peerUrlProblem(versionsUrl, settings.urlPolicy)
  if (problem) throw new OcpiError(2001, `url: versions URL ${versionsUrl} is refused by the outbound URL policy: ${problem}`, { path: 'url' })
  const versions = await fetchVersions(env, settings, versionsUrl, token)
  const offered = offeredVersions(env)
  const theirs = versions.map((entry) => entry.version)
  const version = requested ? (offered.includes(requested) && theirs.includes(requested) ? requested : undefined) : pickMutualVersion(offered, theirs)
  if (!version) {
    throw new OcpiError(3002, `No mutual OCPI version${requested ? ` ${requested}` : ''}: we offer ${offered.join(', ')}, the peer offers ${theirs.join(', ') || 'none'}`)
  }
  const detailsUrl = versions.find((entry) => entry.version === version)!.url
  assertCallable(settings, detailsUrl, `The peer's ${version} details URL`)
  const details = await fetchDetails(env, settings, detailsUrl, token, version, side)
  if (details.version !== version) throw new OcpiError(3001, `${detailsUrl} describes version ${details.version}, expected ${version}`)
  const credentialsEndpoint = details.endpoints.find((endpoint) => endpoint.identifier === 'credentials')
  if (!credentialsEndpoint) throw new OcpiError(3003, `The peer's ${version} details list no credentials endpoint`)
  assertMutualModules(version, details.endpoints)
  // Checked before they are stored: every later call to this peer starts from one of these URLs.
  for (const endpoint of details.endpoints) assertCallable(settings, endpoint.url, `The peer's ${endpoint.identifier} ${endpoint.role} endpoint`)
  return { version, endpoints: details.endpoints, credentialsUrl: credentialsEndpoint.url }
}

/**
 * The versions list, with the token Base64-encoded as 2.2 and later want; a 401 is tried once more with the token as
 * is, since the peer may be a 2.1.1 platform (transport_and_format.md of 2.1.1 sends it unencoded).
 */
async function fetchVersions(env: Env, settings: OutboundSettings, url: string, token: string) {
  try {
    return await fetchOcpi(env, settings, url, token, z.array(Version), 'versions')
  } catch (error) {
    if (!(error instanceof OcpiError) || !/HTTP 401/.test(error.message)) throw error
    return fetchOcpi(env, settings, url, token, z.array(Version), 'versions', '2.1.1')
  }
}

/** Version details; 2.1.1 endpoints carry no role, so they get the interface the peer's side implements. */
async function fetchDetails(env: Env, settings: OutboundSettings, url: string, token: string, version: OcpiVersion, side: Side | undefined) {
  if (!isSingleParty(version)) return fetchOcpi(env, settings, url, token, VersionDetails, 'version details')
  if (!side) throw new OcpiError(3003, 'An OCPI 2.1.1 connection needs a CPO or eMSP party hosted here')
  const details = await fetchOcpi(env, settings, url, token, VersionDetails211, 'version details', version)
  return { version: details.version, endpoints: endpointsOf211(details.endpoints, side) }
}

/** Module identifiers both sides serve in `version`, credentials aside. */
export function mutualModules(version: OcpiVersion, endpoints: readonly Endpoint[]): string[] {
  const ours = new Set(servedModules().filter((module) => !module.versions || module.versions.includes(version)).map((module) => module.id))
  return [...new Set(endpoints.map((endpoint) => endpoint.identifier))].filter((identifier) => identifier !== 'credentials' && ours.has(identifier))
}

function assertMutualModules(version: OcpiVersion, endpoints: readonly Endpoint[]) {
  if (mutualModules(version, endpoints).length === 0) {
    throw new OcpiError(3003, `No module besides credentials that both platforms implement in ${version} (peer offers: ${endpoints.map((endpoint) => endpoint.identifier).join(', ')})`)
  }
}

/** A URL the peer's own answers named: one we may not call makes its API unusable to us (3001). */
function assertCallable(settings: OutboundSettings, url: string, what: string) {
  const problem = peerUrlProblem(url, settings.urlPolicy)
  if (problem) throw new OcpiError(3001, `${what} ${url} is refused by the outbound URL policy: ${problem}`)
}

/** GET an OCPI resource with the peer's token; every failure to obtain a valid 1000 answer is 3001. */
async function fetchOcpi<S extends z.ZodType>(
  env: Env, settings: OutboundSettings, url: string, token: string, schema: S, what: string, version?: OcpiVersion,
): Promise<z.infer<S>> {
  try {
    const response = await ocpiRequest({ method: 'GET', url, token, version, timeoutMs: clientTimeout(env), settings })
    if (response.http_status >= 300 || response.status_code !== 1000) {
      throw new OcpiError(3001, `GET ${what} ${url}: HTTP ${response.http_status}, status_code ${response.status_code} ${response.status_message ?? ''}`.trim())
    }
    const parsed = schema.safeParse(response.data)
    if (!parsed.success) {
      const [issue] = parsed.error.issues
      throw new OcpiError(3001, `GET ${what} ${url}: invalid ${what} at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`)
    }
    return parsed.data
  } catch (error) {
    if (error instanceof OcpiClientError) throw new OcpiError(3001, `Cannot reach the peer's ${what}: ${error.message}`)
    if (error instanceof TypeError) throw new OcpiError(3001, `Cannot reach the peer's ${what} at ${url}: ${error.message}`)
    throw error
  }
}
