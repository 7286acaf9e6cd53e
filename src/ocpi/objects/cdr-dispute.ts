import { z } from 'zod'
import { CiString, DateTime, OcpiString, openEnum } from '../types'

// x-cdr-disputes (docs/extensions/x-cdr-disputes.md): an MSP's objection to a CDR it received. OCPI 2.x has no way to
// say so (mod_invoice_reconciliation reconciles amounts but carries no outcome), so this is a custom module, used only
// with peers that agreed to it. The same object in 2.2.1 and 2.3.0.

export const DisputeReason = openEnum(['WRONG_PRICE', 'WRONG_ENERGY', 'WRONG_DURATION', 'UNKNOWN_TOKEN', 'DUPLICATE', 'NOT_INVOICEABLE', 'OTHER'])
/** OPEN: raised; WITHDRAWN: the MSP took it back. SETTLED is never sent: each side sees it when the credit CDR arrives. */
export const DisputeState = z.enum(['OPEN', 'WITHDRAWN'])

export const CdrDispute = z.object({
  /** The CPO that owns the disputed CDR. */
  country_code: CiString(2),
  party_id: CiString(3),
  cdr_id: CiString(39),
  /** The MSP raising the dispute: the party of the CDR's token. */
  msp_country_code: CiString(2),
  msp_party_id: CiString(3),
  reason: DisputeReason,
  text: OcpiString(512),
  state: DisputeState,
  last_updated: DateTime,
})
export type CdrDispute = z.infer<typeof CdrDispute>
