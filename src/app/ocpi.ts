import { publicBase as publicBaseOf } from '../ocpi/urls'
import { Hono, type Context } from 'hono'
import { databaseFor } from '../db/shards'
import { credentials } from '../modules/credentials'
import { modules } from './modules'
import { authenticatePeer } from '../peers/authenticate'
import type { OcpiEnv } from '../ocpi/context'
import { respond } from '../ocpi/envelope'
import { OcpiError, unknownEndpoint } from '../ocpi/errors'
import { messageIds } from '../ocpi/headers'
import { interfacePath, type OcpiModule } from '../ocpi/module'
import { agreedWith } from '../peers/extensions'
import { interfaceOf, isSingleParty } from '../peers/one-party-connection'
import { ourSideFacing } from '../peers/peer-state'
import { isSupportedVersion, offeredVersions, SUPPORTED_VERSIONS, type OcpiVersion } from '../ocpi/versions'


/** Paths a token A may open (credentials.asciidoc: only versions, version details and credentials). */
const REGISTRATION_PATHS = new Set(['details', 'credentials'])
const authenticateRegistration = authenticatePeer({ allowTokenA: true })
const authenticateOtherwise = authenticatePeer({ allowTokenA: false })

export const ocpi = new Hono<OcpiEnv>()

ocpi.use('*', messageIds())
ocpi.use('*', async (c, next) => {
  c.set('db', databaseFor(c.env))
  await next()
})

ocpi.get('/versions', authenticateRegistration, (c) =>
  respond(c, offeredVersions(c.env).map((version) => ({ version, url: `${publicBase(c)}/ocpi/${version}/details` }))),
)

// One sub-app per version under a static prefix, not a `/:version` parameter: with static prefixes Hono's RegExpRouter
// (one regular expression for every route) can serve the whole app; a parameter in front of the module paths made it
// fall back to the trie router, whose matching was a fifth of a cheap request's CPU.
for (const version of SUPPORTED_VERSIONS) ocpi.route(`/${version}`, versionApp(version))

function versionApp(version: OcpiVersion) {
  const app = new Hono<OcpiEnv>()
  app.use('*', async (c, next) => {
    if (!offeredVersions(c.env).includes(version)) throw unsupportedVersion(version)
    c.set('version', version)
    const segment = c.req.path.split('/')[3] ?? ''
    return (REGISTRATION_PATHS.has(segment) ? authenticateRegistration : authenticateOtherwise)(c, next)
  })
  app.get('/details', async (c) => respond(c, await versionDetails(c, version)))
  app.route('/credentials', credentials)
  for (const module of modules) {
    if (module.versions && !module.versions.includes(version)) continue
    for (const role of ['SENDER', 'RECEIVER'] as const) {
      const served = role === 'SENDER' ? module.sender : module.receiver
      if (!served) continue
      const path = `/${interfacePath(module, role)}`
      app.use(path, servedToPeer(module, role))
      app.use(`${path}/*`, servedToPeer(module, role))
      app.route(path, served)
    }
  }
  return app
}

const unsupportedVersion = (version: string) => new OcpiError(3002, `Unsupported version: ${version}`, { http_status: 404 })
/** A first segment shaped like a version number: a version we do not speak (3002), not an unknown endpoint. */
const VERSION_SEGMENT = /^\/ocpi\/(\d+\.\d+(?:\.\d+)?)(?:\/|$)/

/** What an unmatched OCPI path is: a version we do not speak (3002), or an unknown endpoint. */
export function unmatchedOcpiPath(path: string): OcpiError {
  const version = VERSION_SEGMENT.exec(path)?.[1]
  return version !== undefined && !isSupportedVersion(version) ? unsupportedVersion(version) : unknownEndpoint()
}


/** Custom modules are listed only to a peer that agreed to them (version_information_endpoint, "Custom Modules"). */
export async function versionDetails(c: Context<OcpiEnv>, version: OcpiVersion) {
  if (isSingleParty(version)) return versionDetails211(c)
  const base = `${publicBase(c)}/ocpi/${version}`
  const endpoints = [{ identifier: 'credentials', role: 'SENDER', url: `${base}/credentials` }]
  for (const module of modules) {
    if (module.versions && !module.versions.includes(version)) continue
    if (!agreedWith(c.get('peer'), module.id)) continue
    if (module.sender && (!module.senderOffered || (await module.senderOffered(c)))) endpoints.push({ identifier: module.id, role: 'SENDER', url: `${base}/${interfacePath(module, 'SENDER')}` })
    if (module.receiver) endpoints.push({ identifier: module.id, role: 'RECEIVER', url: `${base}/${interfacePath(module, 'RECEIVER')}` })
  }
  return { version, endpoints }
}

/**
 * 2.1.1 details list one URL per module and no role (version_information_endpoint.md, "Endpoint class"): the interface
 * our side implements, the side across from the peer's (docs/ocpi-2.1.1.md, "Negotiation").
 */
async function versionDetails211(c: Context<OcpiEnv>) {
  const base = `${publicBase(c)}/ocpi/2.1.1`
  const ourSide = await ourSideFacing(c.get('db'), c.get('peer').id)
  const endpoints = [{ identifier: 'credentials', url: `${base}/credentials` }]
  for (const module of modules) {
    if (!ourSide || (module.versions && !module.versions.includes('2.1.1')) || !agreedWith(c.get('peer'), module.id)) continue
    const role = interfaceOf(module.id, ourSide)
    if (role && (role === 'SENDER' ? module.sender : module.receiver)) endpoints.push({ identifier: module.id, url: `${base}/${interfacePath(module, role)}` })
  }
  return { version: '2.1.1', endpoints }
}

/** A custom module the peer has no agreement for is 404, as if it did not exist (a module outside its versions is not routed). */
function servedToPeer(module: OcpiModule, role: 'SENDER' | 'RECEIVER') {
  return async (c: Context<OcpiEnv>, next: () => Promise<void>) => {
    if (!agreedWith(c.get('peer'), module.id)) throw unknownEndpoint()
    if (role === 'SENDER' && module.senderOffered && !(await module.senderOffered(c))) throw unknownEndpoint()
    await next()
  }
}

const publicBase = (c: Context) => publicBaseOf(c.env)
