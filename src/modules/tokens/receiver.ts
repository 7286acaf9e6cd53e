import { Hono, type Context } from 'hono'
import { parseWith } from '../../ocpi/body'
import type { OcpiEnv } from '../../ocpi/context'
import { respond, respondPut } from '../../ocpi/envelope'
import { OcpiError } from '../../ocpi/errors'
import { addressedParty, assertPeerRepresents, partyInPath, routedTo } from '../../peers/routing'
import { toEpochMs } from '../../ocpi/types'
import { ingestKey, readPushed, type IngestWarning } from '../../ocpi/ingest'
import { replaceIngestWarnings } from '../../db/ingest-warnings'
import { ALLOWED_COUNTRIES_FIELD, allowedCountriesFromWire, Token } from '../../ocpi/objects/token'
import { tokenPatchVersions, tokenToWire, tokenVersions } from '../../ocpi/objects/version-maps'
import { getReceivedToken, putReceivedToken, type TokenRef } from './store'
import { assertSameToken, readTokenBody, tokenTypeQuery, tokenWarningsKey } from './wire'

/**
 * Tokens Receiver interface (CPO): the eMSP pushes its tokens into our cache. Tokens are never deleted: the eMSP sends
 * `valid: false` (mod_tokens, "Push model"). A peer only reads and writes tokens of parties it represents.
 */
export const receiver = new Hono<OcpiEnv>()
  .get('/:country_code/:party_id/:token_uid', async (c) => {
    const ref = pathRef(c, tokenTypeQuery(c) ?? 'RFID')
    assertPeerRepresents(c, ref, 'EMSP')
    const stored = await getReceivedToken(c.get('db'), ref)
    if (!stored) throw OcpiError.unknownObject(`token ${ref.uid} of type ${ref.type}`)
    return respond(c, tokenToWire(c.get('version'), stored.token, stored.allowed_countries))
  })
  .put('/:country_code/:party_id/:token_uid', async (c) => {
    const value = await readTokenBody(c)
    const { object: token, warnings } = readPushed(c, tokenVersions, value, partyInPath(c))
    // `type` in the URL defaults to RFID, but many eMSPs omit it when pushing other types: then the body's type counts.
    const ref = pathRef(c, tokenTypeQuery(c) ?? token.type)
    assertPeerRepresents(c, ref, 'EMSP')
    await assertAddressedPartyIsHosted(c)
    assertSameToken(ref, token)
    const existed = await getReceivedToken(c.get('db'), ref)
    if (await putReceivedToken(c.get('db'), c.get('peer').id, token, allowedCountriesFromWire(c.get('version'), value))) await keepWarnings(c, ref, warnings)
    return respondPut(c, !existed)
  })
  .patch('/:country_code/:party_id/:token_uid', async (c) => {
    const value = await readTokenBody(c)
    const { object: read, warnings } = readPushed(c, tokenPatchVersions, value, partyInPath(c))
    // A 2.1.1 PATCH need not carry last_updated (mod_tokens.md of 2.1.1, PATCH example): it is as of its receipt.
    const patch = { ...read, last_updated: read.last_updated ?? new Date().toISOString() }
    const ref = pathRef(c, tokenTypeQuery(c) ?? patch.type ?? 'RFID')
    assertPeerRepresents(c, ref, 'EMSP')
    await assertAddressedPartyIsHosted(c)
    const stored = await getReceivedToken(c.get('db'), ref)
    if (!stored) throw new OcpiError(2003, `Unknown token ${ref.uid} of type ${ref.type}: PUT it first`)
    // An older PATCH (delayed in a queue) never overwrites a newer state.
    if (toEpochMs(patch.last_updated) < toEpochMs(stored.token.last_updated)) return respond(c, null)
    const token = parseWith(Token, { ...stored.token, ...patch })
    assertSameToken(ref, token)
    if (await putReceivedToken(c.get('db'), c.get('peer').id, token, patchedAllowedCountries(c, value, stored.allowed_countries))) await keepWarnings(c, ref, warnings)
    return respond(c, null)
  })

/** A write that was applied replaces the token's warnings with its own (none: removed). */
const keepWarnings = (c: Context<OcpiEnv>, ref: TokenRef, warnings: IngestWarning[]) =>
  replaceIngestWarnings(c.get('db'), { module: 'tokens', key: tokenWarningsKey(ref), peerId: c.get('peer').id, warnings })

function pathRef(c: Context<OcpiEnv>, type: string): TokenRef {
  return { country_code: c.req.param('country_code')!, party_id: c.req.param('party_id')!, uid: c.req.param('token_uid')!, type }
}

/** With OCPI-to headers the push must address a party we host (4001 otherwise); without them, our cache is platform-wide. */
async function assertAddressedPartyIsHosted(c: Context<OcpiEnv>) {
  if (routedTo(c)) await addressedParty(c)
}

/** A PATCH that names allowed_countries replaces it (null clears it); one that does not keeps what was stored. */
function patchedAllowedCountries(c: Context<OcpiEnv>, value: Record<string, unknown>, stored: string[] | null): string[] | null {
  if (c.get('version') !== '2.3.0' || !(ALLOWED_COUNTRIES_FIELD in value)) return stored
  return value[ALLOWED_COUNTRIES_FIELD] === null ? null : allowedCountriesFromWire(c.get('version'), value) ?? stored
}
