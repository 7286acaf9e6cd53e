import { Hono, type Context } from 'hono'
import type { OcpiEnv, PartyRef } from '../../ocpi/context'
import { samePartyRef } from '../../ocpi/context'
import { respond, respondPut } from '../../ocpi/envelope'
import { OcpiError, unknownEndpoint } from '../../ocpi/errors'
import { addressedParty, partyInPath } from '../../peers/routing'
import { assertPeerRepresents, routedTo } from '../../peers/routing'
import { toWire } from '../../ocpi/version-adapters'
import { ingestKey, readPushed } from '../../ocpi/ingest'
import { replaceIngestWarnings } from '../../db/ingest-warnings'
import { readJson } from '../../ocpi/body'
import { tariffVersions } from '../../ocpi/objects/version-maps'
import { deleteReceivedTariff, findTariff, peerAcceptsNonIsoCurrencies, putReceivedTariff } from './store'

/**
 * Tariffs Receiver interface (eMSP, NSP, ...): Client Owned Objects at {country_code}/{party_id}/{tariff_id}
 * (mod_tariffs "Receiver Interface"). A peer reads and writes only tariffs of parties it represents.
 */
export const receiver = new Hono<OcpiEnv>()
  .get('/:country_code/:party_id/:tariff_id', async (c) => {
    const { party, tariffId } = await objectAddress(c)
    const row = await findTariff(c.get('db'), party, tariffId)
    if (!row || row.peer_id !== c.get('peer').id) throw OcpiError.unknownObject(`tariff ${tariffId}`)
    return respond(c, toWire(tariffVersions, c.get('version'), row.object))
  })
  .put('/:country_code/:party_id/:tariff_id', async (c) => {
    const { party, tariffId } = await objectAddress(c)
    const existed = await findTariff(c.get('db'), party, tariffId)
    await storePushed(c, party, tariffId, await readJson(c))
    return respondPut(c, !existed)
  })
  /**
   * 2.1.1 only: its Tariffs Receiver has PATCH, "the same as the PUT method, except that the fields/objects that have to
   * be updated have to be present" (mod_tariffs.md 2.2.3); 2.2 dropped it (n/a), so other versions answer as for any
   * unknown endpoint. The patch is applied to the stored tariff as this peer sees it in 2.1.1 and stored like a PUT;
   * without last_updated it is stamped with the time received, as a 2.1.1 PATCH need not carry it.
   */
  .patch('/:country_code/:party_id/:tariff_id', async (c) => {
    if (c.get('version') !== '2.1.1') throw unknownEndpoint()
    const { party, tariffId } = await objectAddress(c)
    const patch = await readJson(c)
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new OcpiError(2001, 'The PATCH body must be a JSON object')
    const row = await findTariff(c.get('db'), party, tariffId)
    if (!row || row.peer_id !== c.get('peer').id) throw OcpiError.unknownObject(`tariff ${tariffId}`)
    await storePushed(c, party, tariffId, { ...(toWire(tariffVersions, c.get('version'), row.object) as object), last_updated: new Date().toISOString(), ...patch })
    return respond(c, null)
  })
  .delete('/:country_code/:party_id/:tariff_id', async (c) => {
    const { party, tariffId } = await objectAddress(c)
    if (!(await deleteReceivedTariff(c.get('db'), c.get('peer').id, party, tariffId))) throw new OcpiError(2003, `Unknown tariff ${tariffId}`)
    return respond(c, null)
  })

/** Reads a pushed tariff (a PUT body, or a patched one) and stores it unless the stored copy is newer. */
async function storePushed(c: Context<OcpiEnv>, party: PartyRef, tariffId: string, body: unknown) {
  const { object: tariff, warnings } = readPushed(c, tariffVersions, body, party)
  // mod_tariffs PUT: country_code and party_id "SHALL be the same value as" in the pushed Tariff; the id names it.
  if (!samePartyRef(tariff, party)) throw new OcpiError(2001, 'country_code/party_id differ from the URL', { path: 'country_code' })
  if (tariff.id.toUpperCase() !== tariffId.toUpperCase()) throw new OcpiError(2001, `id ${tariff.id} differs from the URL (${tariffId})`, { path: 'id' })
  // Tariff.currency is "string(3)": longer codes (USDC) only from peers that opted in to the multi-currency extension.
  if (tariff.currency.length !== 3 && !(await peerAcceptsNonIsoCurrencies(c.get('db'), c.get('peer').id))) {
    throw new OcpiError(2001, 'currency: must be a three-letter ISO 4217 code', { path: 'currency' })
  }
  const result = await putReceivedTariff(c.get('db'), c.get('peer').id, tariff)
  if (result === 'not_owned') throw new OcpiError(2001, `Tariff ${tariff.id} belongs to a party hosted here`, { path: 'id' })
  if (result === 'stored') await replaceIngestWarnings(c.get('db'), { module: 'tariffs', key: ingestKey(party.country_code, party.party_id, tariff.id), peerId: c.get('peer').id, warnings })
  // 'stale': the stored copy is newer; the push is acknowledged and ignored (an older last_updated never overwrites).
}

/** The owner party and tariff id from the URL, after checking the peer speaks for that party and we are the addressee. */
async function objectAddress(c: Context<OcpiEnv>): Promise<{ party: PartyRef; tariffId: string }> {
  const party = partyInPath(c)
  assertPeerRepresents(c, party, 'CPO')
  // With OCPI-to headers the receiver must be a party hosted here (4001 otherwise); without them the platform receives.
  if (routedTo(c)) await addressedParty(c)
  const tariffId = c.req.param('tariff_id')!
  if (tariffId.length > 36) throw new OcpiError(2001, 'tariff_id: longer than 36 characters', { path: 'tariff_id' })
  return { party, tariffId }
}
