import { respondAdminPage } from '../../ocpi/page-response'
import { withIngestWarnings } from '../../db/ingest-warnings'
import { ingestKey } from '../../ocpi/ingest'
import { hostedPartyFromPath, partyInPath } from '../../peers/routing'
import { partyQuery } from '../../admin/party-param'
import { sourceQuery } from '../../admin/source-param'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AdminEnv } from '../../admin/context'
import { parseWith, readJson } from '../../ocpi/body'
import type { PartyRef } from '../../ocpi/context'
import { OcpiError, staleWrite } from '../../ocpi/errors'
import { parsePageQuery } from '../../ocpi/paging'
import { toEpochMs } from '../../ocpi/types'
import { getPeer } from '../../peers/store'
import { publishTariffChanges, republishNonIsoTariffs } from './push'
import { deleteOwnTariffGroup, findTariff, findTariffs, type TariffRow, listOwnTariffGroup, listTariffs, peerAcceptsNonIsoCurrencies, replaceOwnTariffGroup, setPeerAcceptsNonIsoCurrencies } from './store'
import type { Tariff } from '../../ocpi/objects/tariff'
import { HostedTariff, hostedTariffOf, publishedTariffs, variantProblem } from './variants'

// The owner writes its fields from the URL and the clock when the body leaves them out.
const HostedTariffBody = HostedTariff.partial({ country_code: true, party_id: true, id: true, last_updated: true })
const PeerTariffSettings = z.object({ non_iso_currencies: z.boolean() })

/** Management routes of the Tariffs module (DESIGN "Management API"): owner writes are stored, then pushed. */
export const admin = new Hono<AdminEnv>()
  .put('/tariffs/:country_code/:party_id/:tariff_id', async (c) => {
    const party = await hostedPartyFromPath(c, 'CPO')
    const tariffId = c.req.param('tariff_id')
    const body = parseWith(HostedTariffBody, await readJson(c))
    assertMatches(body, party, tariffId)
    const hosted: HostedTariff = { ...body, ...party, id: tariffId, last_updated: body.last_updated ?? new Date().toISOString() }
    const problem = variantProblem(hosted)
    if (problem) throw new OcpiError(2001, `${problem.path}: ${problem.message}`, { path: problem.path })
    const stored = await findTariff(c.get('db'), party, tariffId)
    if (stored?.peer_id === null && toEpochMs(stored.object.last_updated) > toEpochMs(hosted.last_updated)) throw staleWrite(`Tariff ${tariffId}`)
    const written = publishedTariffs(hosted)
    await assertIdsFree(c, party, tariffId, written)
    const removed = await replaceOwnTariffGroup(c.get('db'), party, tariffId, written)
    await publishTariffChanges(c.env, c.get('db'), { written, removed })
    return c.json(hosted)
  })
  .delete('/tariffs/:country_code/:party_id/:tariff_id', async (c) => {
    const party = await hostedPartyFromPath(c, 'CPO')
    const tariffId = c.req.param('tariff_id')
    await assertNotAVariant(c, party, tariffId)
    const removed = await deleteOwnTariffGroup(c.get('db'), party, tariffId)
    if (removed.length === 0) throw new OcpiError(2003, `Unknown tariff ${tariffId}`)
    await publishTariffChanges(c.env, c.get('db'), { written: [], removed })
    return c.json({ deleted: removed.map((tariff) => tariff.id) })
  })
  .get('/tariffs', async (c) => {
    const query = parsePageQuery(c)
    const { source, peerId } = sourceQuery(c.req.query('source'), { source: 'own' })
    const page = await listTariffs(c.get('db'), query, { source, party: partyQuery(c.req.query('party')), peerId: peerId ?? (c.req.query('peer') || undefined), includeNonIso: true })
    return respondAdminPage(c, query, { ...page, objects: await withIngestWarnings(c.get('db'), 'tariffs', page.objects, objectKey) })
  })
  .get('/tariffs/:country_code/:party_id/:tariff_id', async (c) => {
    const party = partyInPath(c)
    const row = await findTariff(c.get('db'), party, c.req.param('tariff_id'))
    if (!row) throw new OcpiError(2003, `Unknown tariff ${c.req.param('tariff_id')}`)
    // An own base tariff is shown as written, with its currency variants; anything else as published or received.
    if (row.peer_id === null && row.tariff_group_id === row.id) return c.json(hostedTariffOf(await listOwnTariffGroup(c.get('db'), party, row.id), row.id))
    const [view] = await withIngestWarnings(c.get('db'), 'tariffs', [row.object], objectKey)
    return c.json(view)
  })
  .get('/peers/:peer_id/tariff-settings', async (c) => {
    const peer = await knownPeer(c)
    return c.json({ peer_id: peer.id, non_iso_currencies: await peerAcceptsNonIsoCurrencies(c.get('db'), peer.id) })
  })
  .put('/peers/:peer_id/tariff-settings', async (c) => {
    const peer = await knownPeer(c)
    const settings = parseWith(PeerTariffSettings, await readJson(c))
    if (await setPeerAcceptsNonIsoCurrencies(c.get('db'), peer.id, settings.non_iso_currencies)) {
      await republishNonIsoTariffs(c.env, c.get('db'), peer, settings.non_iso_currencies)
    }
    return c.json({ peer_id: peer.id, ...settings })
  })

function assertMatches(body: Partial<PartyRef & { id: string }>, party: PartyRef, tariffId: string) {
  if (body.country_code && body.country_code.toUpperCase() !== party.country_code) throw new OcpiError(2001, 'country_code differs from the URL', { path: 'country_code' })
  if (body.party_id && body.party_id.toUpperCase() !== party.party_id) throw new OcpiError(2001, 'party_id differs from the URL', { path: 'party_id' })
  if (body.id && body.id.toUpperCase() !== tariffId.toUpperCase()) throw new OcpiError(2001, 'id differs from the URL', { path: 'id' })
}

/**
 * The ids a write publishes must be free or already this group's: a variant is written only through its base tariff,
 * and a variant id must not take over another tariff (own, or received from a peer).
 */
async function assertIdsFree(c: Context<AdminEnv>, party: PartyRef, tariffId: string, written: Tariff[]) {
  const rows = await findTariffs(c.get('db'), party, written.map((tariff) => tariff.id))
  const ofOtherGroup = (row: TariffRow) => row.peer_id === null && row.tariff_group_id !== tariffId
  const base = rows.find((row) => row.id.toUpperCase() === tariffId.toUpperCase())
  if (base && ofOtherGroup(base)) throw new OcpiError(2001, `${tariffId} is a currency variant of ${base.tariff_group_id}: change it there`, { path: 'id' })
  written.slice(1).forEach((variant, index) => {
    const taken = rows.find((row) => row.id.toUpperCase() === variant.id.toUpperCase())
    if (taken && (taken.peer_id !== null || ofOtherGroup(taken))) {
      const path = `currency_variants.${index}.currency`
      throw new OcpiError(2001, `${path}: ${variant.id} is already another tariff`, { path })
    }
  })
}

/** A currency variant is deleted only through its base tariff's `currency_variants`. */
async function assertNotAVariant(c: Context<AdminEnv>, party: PartyRef, tariffId: string) {
  const existing = await findTariff(c.get('db'), party, tariffId)
  if (existing?.peer_id === null && existing.tariff_group_id !== existing.id) {
    throw new OcpiError(2001, `${tariffId} is a currency variant of ${existing.tariff_group_id}: change it there`, { path: 'id' })
  }
}

async function knownPeer(c: Context<AdminEnv>) {
  const peer = await getPeer(c.get('db'), c.req.param('peer_id')!)
  if (!peer) throw new OcpiError(2003, `Unknown peer ${c.req.param('peer_id')}`)
  return peer
}

/** The key of a tariff's ingest warnings (src/ocpi/ingest.ts). */
const objectKey = (tariff: { country_code: string; party_id: string; id: string }) => ingestKey(tariff.country_code, tariff.party_id, tariff.id)
