import type { z } from 'zod'
import { Hono, type Context } from 'hono'
import { readBody } from '../../ocpi/body'
import type { OcpiEnv } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { acceptCredentialsUpdate, acceptRegistration, acceptUnregistration } from '../../peers/accept-registration'
import { ourCredentialsOfCaller } from '../../peers/peer-state'
import { pushClientInfoChangesAfterWrites } from '../hubclientinfo/push'
import { credentialsFor, credentialsSchemas, type Credentials, type Credentials211 } from '../../ocpi/objects/credentials'

/**
 * The credentials module (credentials.asciidoc), symmetric and mounted by src/app/ocpi.ts at /ocpi/{version}/credentials.
 * Token A reaches it (authentication allows it here only); the rules per method live in src/peers/accept-registration.ts.
 */
export const credentials = new Hono<OcpiEnv>()
  // A registration changes the peer's connection status: a hosted HUB tells its other peers (mod_hub_client_info).
  .use('*', pushClientInfoChangesAfterWrites())
  // "Retrieves the credentials object to access the server's platform": we keep only hashes, so the token is the one
  // the peer authenticated this request with.
  .get('/', async (c) => respond(c, credentialsFor(c.get('version'), await ourCredentialsOfCaller(c.env, c.get('db'), c.get('credentialsToken'), c.get('version'), c.get('peer').id))))
  // A POST creates the peer's registration: 201 Created (status_codes: "201 - Created when the object has been newly
  // created in the server system"), or 200 for a peer whose operator setting says it accepts only 200; a PUT updates
  // an existing one: 200.
  .post('/', async (c) => {
    const { credentials: ours, http_status } = await acceptRegistration(c.env, c.get('db'), c.get('peer'), c.get('version'), await readCredentials(c))
    return respond(c, credentialsFor(c.get('version'), ours), { http_status })
  })
  .put('/', async (c) => {
    const ours = await acceptCredentialsUpdate(c.env, c.get('db'), c.get('peer'), c.get('version'), await readCredentials(c))
    return respond(c, credentialsFor(c.get('version'), ours))
  })
  .delete('/', async (c) => {
    await acceptUnregistration(c.env, c.get('db'), c.get('peer'))
    return respond(c, undefined)
  })

/** The body in the shape of the version called; 2.2.1 bodies have no hub_party_id, 2.1.1 ones one party and no role. */
const readCredentials = async (c: Context<OcpiEnv>): Promise<Credentials | Credentials211> => readBody(c, credentialsSchemas[c.get('version')] as z.ZodType<Credentials | Credentials211>)
