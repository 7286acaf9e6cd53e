import { z } from 'zod'
import { CiString, DateTime } from '../types'

// mod_invoice_reconciliation (2.3.0), InvoiceReconciliationRecord object: which CDRs one invoice covers. The module
// exists only in 2.3.0, so there is one shape and no version adapter.

export const InvoiceReconciliationRecord = z.object({
  /** The party that 'owns' this record: the CPO in direct billing, the MSP in reverse billing. */
  country_code: CiString(2),
  party_id: CiString(3),
  id: CiString(36),
  /** "An identifier identifying an invoice sent by the party issuing this Invoice Reconciliation Record." */
  invoice_id: CiString(255),
  /** Card. `+`: at least one CDR id. */
  cdrs: z.array(CiString(36)).min(1),
  last_updated: DateTime,
})
export type InvoiceReconciliationRecord = z.infer<typeof InvoiceReconciliationRecord>
