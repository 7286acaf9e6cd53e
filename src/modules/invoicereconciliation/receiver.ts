import { Hono, type Context } from 'hono'
import { readJson, parseWith } from '../../ocpi/body'
import { samePartyRef, type OcpiEnv, type PartyRef } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { invalid, OcpiError } from '../../ocpi/errors'
import { OCPI_TO_COUNTRY, OCPI_TO_PARTY } from '../../ocpi/headers'
import { InvoiceReconciliationRecord } from '../../ocpi/objects/invoice-reconciliation'
import { toEpochMs } from '../../ocpi/types'
import { addressedParty, assertPeerRepresents, partyInPath, peerRepresents } from '../../peers/routing'
import { listHostedParties } from '../../peers/parties'
import { billingOf, type BillingRoles } from './relationship'
import { getRecord, writeRecord, deleteRecord, type StoredRecord } from './store'

/**
 * Invoice Reconciliation Receiver interface: records are Client Owned Objects at {country_code}/{party_id}/{id}, POSTed
 * new, PUT when changed, DELETEd when the record itself was an error. One copy per record: a peer reads, replaces and
 * deletes only the copy it sent, of parties it represents; its write takes over a former holder's copy, never an own one.
 */
export const receiver = new Hono<OcpiEnv>()
  .post('/', async (c) => {
    const record = parseWith(InvoiceReconciliationRecord, await readJson(c))
    const stored = await received(c, record)
    const written = await writeRecord(c.get('db'), { peer_id: c.get('peer').id }, stored, 'create')
    if (written === 'exists') {
      const held = await getRecord(c.get('db'), { peer_id: c.get('peer').id }, record)
      // A retried POST whose answer was lost is acknowledged; a different record under a held id must come as a PUT.
      if (JSON.stringify(held?.record) !== JSON.stringify(record)) throw invalid('id', `record ${record.id} already exists: send changes with PUT`)
    }
    return respond(c, undefined, { http_status: written === 'created' ? 201 : 200 })
  })
  .get('/:country_code/:party_id/:id', async (c) => {
    const ref = ownedRef(c)
    const stored = await getRecord(c.get('db'), { peer_id: c.get('peer').id }, ref)
    if (!stored) throw OcpiError.unknownObject(`InvoiceReconciliationRecord ${ref.id}`)
    return respond(c, stored.record)
  })
  .put('/:country_code/:party_id/:id', async (c) => {
    const ref = ownedRef(c)
    const record = parseWith(InvoiceReconciliationRecord, await readJson(c))
    for (const field of ['country_code', 'party_id', 'id'] as const) {
      if (record[field].toUpperCase() !== ref[field].toUpperCase()) throw invalid(field, `${record[field]} differs from the URL's ${ref[field]}`)
    }
    const stored = await received(c, record)
    const held = await getRecord(c.get('db'), { peer_id: c.get('peer').id }, ref)
    // An update older than the record held is acknowledged and ignored, as for every pushed object.
    if (held && toEpochMs(held.record.last_updated) > toEpochMs(record.last_updated)) return respond(c, undefined)
    await writeRecord(c.get('db'), { peer_id: c.get('peer').id }, stored, 'upsert')
    return respond(c, undefined)
  })
  .delete('/:country_code/:party_id/:id', async (c) => {
    const ref = ownedRef(c)
    if (!(await deleteRecord(c.get('db'), { peer_id: c.get('peer').id }, ref))) throw OcpiError.unknownObject(`InvoiceReconciliationRecord ${ref.id}`)
    return respond(c, undefined)
  })

/** The record's owner must be a party of the peer; the addressee (OCPI-to) a party hosted here. */
async function received(c: Context<OcpiEnv>, record: InvoiceReconciliationRecord): Promise<Omit<StoredRecord, 'holder'>> {
  assertPeerRepresents(c, record)
  const counterparty = c.req.header(OCPI_TO_COUNTRY) && c.req.header(OCPI_TO_PARTY) ? await addressedParty(c) : undefined
  const counterpartyRoles = counterparty && (await hostedRoles(c, counterparty))
  const billing = billingOf(peerRolesOf(c, record), counterpartyRoles)
  return { record, billing, counterparty: counterparty ? { country_code: counterparty.country_code, party_id: counterparty.party_id } : null }
}

/** The URL's record, which only a peer representing its owner may address; to anyone else it does not exist. */
function ownedRef(c: Context<OcpiEnv>) {
  const party = partyInPath(c)
  const id = c.req.param('id')!
  if (id.length > 36) throw invalid('id', 'longer than 36 characters')
  if (!peerRepresents(c, party)) throw OcpiError.unknownObject(`InvoiceReconciliationRecord ${id}`)
  return { ...party, id }
}

function peerRolesOf(c: Context<OcpiEnv>, party: PartyRef): BillingRoles {
  const roles = c.get('peer').roles.filter((role) => role.role === 'HUB' || samePartyRef(role, party)).map((role) => role.role)
  return { cpo: roles.includes('CPO') || roles.includes('HUB'), emsp: roles.includes('EMSP') || roles.includes('HUB') }
}

async function hostedRoles(c: Context<OcpiEnv>, party: PartyRef): Promise<BillingRoles> {
  const roles = (await listHostedParties(c.get('db'))).filter((hosted) => samePartyRef(hosted, party)).map((hosted) => hosted.role)
  return { cpo: roles.includes('CPO'), emsp: roles.includes('EMSP') }
}
