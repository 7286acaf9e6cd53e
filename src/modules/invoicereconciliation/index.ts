import type { OcpiModule } from '../../ocpi/module'
import { admin } from './admin'
import { receiver } from './receiver'
import { sender } from './sender'

/** Invoice Reconciliation (mod_invoice_reconciliation, 2.3.0): which CDRs an invoice covers, for either billing direction. */
export const invoicereconciliation: OcpiModule = { id: 'invoicereconciliation', versions: ['2.3.0'], sender, receiver, admin }
