import { respondAdminPage } from '../../ocpi/page-response'
import { withIngestWarnings } from '../../db/ingest-warnings'
import { partyInPath } from '../../peers/routing'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AdminEnv } from '../../admin/context'
import { parseWith, readJson, readText } from '../../ocpi/body'
import type { PartyRef } from '../../ocpi/context'
import { OcpiError, staleWrite } from '../../ocpi/errors'
import { parsePageQuery } from '../../ocpi/paging'
import { DateTime, toEpochMs } from '../../ocpi/types'
import { jobAccepted, startJob } from '../../jobs/start'
import { findHostedParty } from '../../peers/parties'
import { PartyParam } from '../../admin/party-param'
import { SourceParam } from '../../admin/source-param'
import { listAuthorizations } from './authorization-store'
import { authorizeAtChargePoint, AuthorizeRequest } from './authorize'
import { flushAuthorizationLog } from './authorization-log'
import { keepAliveOf } from '../../ocpi/keep-alive'
import { publishTokenPatch, publishTokenPut } from './push'
import { ALLOWED_COUNTRIES_FIELD, AllowedCountries, Token, TokenType } from '../../ocpi/objects/token'
import { getOwnToken, getReceivedToken, listTokens, putOwnToken, tokenKey, updateOwnToken, type StoredToken, type TokenRef } from './store'
import { planTokenSync, TOKEN_SYNC_JOB } from './sync'
import { assertSameToken, readTokenBody, tokenWarningsKey } from './wire'

// Management routes of the tokens module (DESIGN, "Management API"): owner writes of hosted eMSPs (stored, then pushed
// to CPO peers), reads of own and received tokens, a pull from a peer, and the charge point's authorize question.

const OwnerRules = {
  allowed_countries: AllowedCountries.nullable().optional(),
  /** Why real-time authorize refuses a valid token; never sent to peers. */
  account_status: z.enum(['BLOCKED', 'EXPIRED', 'NO_CREDIT']).nullable().optional(),
}
const AdminToken = Token.extend({ last_updated: DateTime.optional(), ...OwnerRules })
const AdminTokenPatch = Token.partial().extend(OwnerRules)
const ListQuery = z.object({
  party: PartyParam.optional(),
  source: SourceParam.default({ source: 'own' }),
  peer_id: z.string().min(1).optional(),
})
const AuthorizationListQuery = z.object({ party: PartyParam.optional(), token_uid: z.string().min(1).max(36).optional() })
const SyncRequest = z.object({ party: PartyParam.optional(), date_from: DateTime.optional(), limit: z.number().int().min(1).max(1000).optional() })

export const tokensAdmin = new Hono<AdminEnv>()
  .put('/tokens/:country_code/:party_id/:token_uid', async (c) => {
    const party = await hostedEmsp(c)
    const input = parseWith(AdminToken, { country_code: party.country_code, party_id: party.party_id, uid: c.req.param('token_uid'), ...(await readTokenBody(c)) })
    const { allowed_countries, account_status, ...fields } = input
    const token: Token = { ...fields, country_code: fields.country_code.toUpperCase(), party_id: fields.party_id.toUpperCase(), last_updated: fields.last_updated ?? now() }
    assertSameToken(pathRef(c, party, c.req.query('type') ?? token.type), token)
    const stored = await putOwnToken(c.get('db'), token, { allowed_countries, account_status })
    if (!stored) throw staleWrite(`Token ${token.uid}`)
    await publishTokenPut(c.env, token, stored.allowed_countries, stored.revision)
    return c.json(adminView(stored))
  })
  .patch('/tokens/:country_code/:party_id/:token_uid', async (c) => {
    const party = await hostedEmsp(c)
    const value = await readTokenBody(c)
    const input = parseWith(AdminTokenPatch, value)
    const ref = pathRef(c, party, c.req.query('type') ?? input.type ?? 'RFID')
    const { allowed_countries, account_status, ...fields } = input
    const changesToken = Object.keys(fields).some((field) => field !== 'last_updated') || ALLOWED_COUNTRIES_FIELD in value
    let last_updated = ''
    const result = await updateOwnToken(c.get('db'), ref, (stored) => {
      last_updated = changesToken ? fields.last_updated ?? now() : stored.token.last_updated
      // An older write never overwrites a newer one: peers would refuse it, and the owner's own copy must not differ.
      if (toEpochMs(last_updated) < toEpochMs(stored.token.last_updated)) throw staleWrite(`Token ${ref.uid}`)
      const token = parseWith(Token, { ...stored.token, ...fields, last_updated })
      assertSameToken(ref, token)
      return {
        token,
        rules: {
          allowed_countries: ALLOWED_COUNTRIES_FIELD in value ? allowed_countries : stored.allowed_countries,
          account_status: 'account_status' in value ? account_status : stored.account_status,
        },
      }
    })
    if (!result.before) throw new OcpiError(2003, `Unknown token ${ref.uid} of type ${ref.type}`, { http_status: 404 })
    const updated = result.after
    // An account_status change alone stays with the eMSP: real-time authorize answers it, the CPO's cache is unaffected.
    if (changesToken) {
      await publishTokenPatch(c.env, updated, { ...fields, last_updated }, ALLOWED_COUNTRIES_FIELD in value ? { value: updated.allowed_countries } : undefined, updated.revision)
    }
    return c.json(adminView(updated))
  })
  .get('/tokens', async (c) => {
    const query = parseWith(ListQuery, c.req.query())
    const pageQuery = parsePageQuery(c)
    const page = await listTokens(c.get('db'), { source: query.source.source, party: query.party, peerId: query.source.peerId ?? query.peer_id }, pageQuery)
    return respondAdminPage(c, pageQuery, { ...page, objects: await withIngestWarnings(c.get('db'), 'tokens', page.objects.map(adminView), tokenWarningsKey) })
  })
  .get('/tokens/:country_code/:party_id/:token_uid', async (c) => {
    const ref = { country_code: c.req.param('country_code'), party_id: c.req.param('party_id'), uid: c.req.param('token_uid'), type: c.req.query('type') ?? 'RFID' }
    const stored = c.req.query('source') === 'received' ? await getReceivedToken(c.get('db'), ref) : await getOwnToken(c.get('db'), ref)
    if (!stored) throw new OcpiError(2003, `Unknown token ${tokenKey(ref)}`, { http_status: 404 })
    const [view] = await withIngestWarnings(c.get('db'), 'tokens', [adminView(stored)], tokenWarningsKey)
    return c.json(view)
  })
  .post('/tokens/sync/:peer_id', async (c) => {
    const request = parseWith(SyncRequest, (await readText(c)).trim() ? await readJson(c) : {})
    const state = await planTokenSync(c.get('db'), c.req.param('peer_id'), { emsp: request.party, date_from: request.date_from, limit: request.limit })
    return c.json(jobAccepted(await startJob(c.env, TOKEN_SYNC_JOB, state)), 202)
  })
  .post('/authorize', async (c) => {
    const request = parseWith(AuthorizeRequest, await readJson(c))
    return c.json(await authorizeAtChargePoint(c.env, c.get('db'), request, keepAliveOf(c)))
  })
  .get('/authorizations', async (c) => {
    const query = parseWith(AuthorizationListQuery, c.req.query())
    const page = parsePageQuery(c)
    await flushAuthorizationLog()
    const result = await listAuthorizations(c.get('db'), query, page)
    return respondAdminPage(c, page, result)
  })

/** Owner writes are for tokens of an eMSP hosted here. */
async function hostedEmsp(c: Context<AdminEnv>): Promise<PartyRef> {
  const party = partyInPath(c)
  if (!(await findHostedParty(c.get('db'), party, 'EMSP'))) {
    throw new OcpiError(2003, `${party.country_code}*${party.party_id} is not an eMSP hosted here`, { http_status: 404, path: 'party_id' })
  }
  return party
}

function pathRef(c: Context<AdminEnv>, party: PartyRef, type: string): TokenRef {
  const parsed = TokenType.safeParse(type.toUpperCase())
  if (!parsed.success) throw new OcpiError(2001, `type: ${type} is not a TokenType`, { path: 'type' })
  return { ...party, uid: c.req.param('token_uid')!, type: parsed.data }
}

const adminView = ({ token, allowed_countries, account_status, peer_id }: StoredToken) => ({
  ...token,
  ...(allowed_countries ? { allowed_countries } : {}),
  ...(account_status ? { account_status } : {}),
  ...(peer_id ? { peer_id } : {}),
})

const now = () => new Date().toISOString()
