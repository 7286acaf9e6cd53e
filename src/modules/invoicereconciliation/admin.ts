import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AdminEnv } from '../../admin/context'
import { PartyParam } from '../../admin/party-param'
import { parseWith, readJson } from '../../ocpi/body'
import { OcpiError } from '../../ocpi/errors'
import { InvoiceReconciliationRecord } from '../../ocpi/objects/invoice-reconciliation'
import type { CDR } from '../../ocpi/objects/cdr'
import { Currency } from '../../ocpi/objects/tariff'
import { respondAdminPage } from '../../ocpi/page-response'
import { parsePageQuery } from '../../ocpi/paging'
import { CiString, DateTime } from '../../ocpi/types'
import { findHostedParty } from '../../peers/parties'
import { hostedPartyFromPath, partyInPath } from '../../peers/routing'
import { findCdrsById, listRelationshipCdrs } from '../cdrs/settlement-store'
import { findDisputes } from '../x-cdr-disputes/store'
import { publishRecord } from './push'
import { reconcile } from './reconcile'
import { billingOf, cdrRelationship } from './relationship'
import { deleteRecord, findReceivedRecord, getRecord, invoicedCdrIds, listRecords, writeRecord, type StoredRecord } from './store'

/** A hosted party's record: the URL names owner and id; `counterparty` the party it is for (whose peers receive it). */
const OwnRecordBody = z.object({
  invoice_id: CiString(255),
  cdrs: z.array(CiString(36)).min(1),
  counterparty: PartyParam,
  /** Needed only when the owner is hosted both as CPO and as MSP. */
  billing: z.enum(['DIRECT', 'REVERSE']).optional(),
  last_updated: DateTime.optional(),
})

const Holder = z.object({ source: z.enum(['own', 'received']).default('received'), peer_id: z.string().min(1).optional() })
const ListQuery = z.object({ source: z.enum(['own', 'received']).default('own'), party: PartyParam.optional() })
const ReconciliationQuery = Holder.extend({
  /** The amount after taxes that the invoice document states, to compare with the CDRs' total. */
  invoice_amount: z.coerce.number().optional(),
  currency: Currency.optional(),
}).refine((query) => (query.invoice_amount === undefined) === (query.currency === undefined), { path: ['currency'], message: 'invoice_amount and currency go together' })

/** Records of hosted parties (written here, pushed to the counterparty) and those received, and their reconciliation. */
export const admin = new Hono<AdminEnv>()
  .put('/invoices/:country_code/:party_id/:id', async (c) => {
    const owner = await hostedPartyFromPath(c, 'CPO').catch(() => hostedPartyFromPath(c, 'EMSP'))
    const body = parseWith(OwnRecordBody, await readJson(c))
    const record = parseWith(InvoiceReconciliationRecord, {
      ...owner, id: c.req.param('id'), invoice_id: body.invoice_id, cdrs: body.cdrs, last_updated: body.last_updated ?? new Date().toISOString(),
    })
    const roles = { cpo: !!(await findHostedParty(c.get('db'), owner, 'CPO')), emsp: !!(await findHostedParty(c.get('db'), owner, 'EMSP')) }
    if (roles.cpo && roles.emsp && !body.billing) throw new OcpiError(2001, 'billing: required when the owner is hosted both as CPO and as MSP', { path: 'billing' })
    const billing = body.billing ?? billingOf(roles)
    const written = await writeRecord(c.get('db'), 'own', { record, billing, counterparty: body.counterparty }, 'upsert')
    await publishRecord(c.env, c.get('db'), record, body.counterparty, written === 'created' ? 'created' : 'replaced')
    return c.json(record, written === 'created' ? 201 : 200)
  })
  .delete('/invoices/:country_code/:party_id/:id', async (c) => {
    const ref = { ...partyInPath(c), id: c.req.param('id') }
    const stored = await getRecord(c.get('db'), 'own', ref)
    if (!stored || !(await deleteRecord(c.get('db'), 'own', ref))) throw new OcpiError(2003, `Unknown own record ${ref.id}`)
    if (stored.counterparty) await publishRecord(c.env, c.get('db'), stored.record, stored.counterparty, 'deleted')
    return c.body(null, 204)
  })
  .get('/invoices', async (c) => {
    const query = parseWith(ListQuery, c.req.query())
    const page = parsePageQuery(c)
    return respondAdminPage(c, page, await listRecords(c.get('db'), { holder: query.source === 'own' ? 'own' : 'received', owner: query.party }, page))
  })
  .get('/invoices/:country_code/:party_id/:id', async (c) => {
    const stored = await findStored(c, parseWith(Holder, c.req.query()))
    return c.json(describe(stored))
  })
  .get('/invoices/:country_code/:party_id/:id/reconciliation', async (c) => {
    const query = parseWith(ReconciliationQuery, c.req.query())
    const stored = await findStored(c, query)
    const relationship = cdrRelationship(stored)
    const [listed, held, invoiced] = await Promise.all([
      findCdrsById(c.get('db'), relationship, stored.record.cdrs),
      listRelationshipCdrs(c.get('db'), relationship),
      invoicedCdrIds(c.get('db'), stored.holder, stored.record),
    ])
    const heldById = new Map([...held, ...listed].map((cdr) => [cdr.id.toUpperCase(), cdr]))
    const cpo = (cdr: CDR) => ({ country_code: cdr.country_code, party_id: cdr.party_id, id: cdr.id })
    // The MSP's disputes are its own where it received the CDRs, received ones where they were issued.
    const disputes = await findDisputes(c.get('db'), relationship.source === 'received' ? 'own' : 'received', listed.map(cpo))
    const invoice_amount = query.invoice_amount !== undefined && query.currency ? { amount: query.invoice_amount, currency: query.currency } : undefined
    return c.json({ ...describe(stored), ...reconcile({ record: stored.record, held: [...heldById.values()], invoiced, invoice_amount, disputes }) })
  })

/** The record the URL names: own, or the received copy (of `peer_id` when given). */
async function findStored(c: Context<AdminEnv>, holder: z.infer<typeof Holder>): Promise<StoredRecord> {
  const ref = { ...partyInPath(c), id: c.req.param('id')! }
  const stored = holder.source === 'own' ? await getRecord(c.get('db'), 'own', ref)
    : holder.peer_id ? await getRecord(c.get('db'), { peer_id: holder.peer_id }, ref)
    : await findReceivedRecord(c.get('db'), ref)
  if (!stored) throw new OcpiError(2003, `Unknown ${holder.source} record ${ref.id}`)
  return stored
}

const describe = (stored: StoredRecord) => ({
  record: stored.record,
  source: stored.holder === 'own' ? 'own' : 'received',
  peer_id: stored.holder === 'own' ? null : stored.holder.peer_id,
  billing: stored.billing,
  counterparty: stored.counterparty,
})
