import type { CDR } from '../../ocpi/objects/cdr'
import type { CdrDispute } from '../../ocpi/objects/cdr-dispute'
import type { InvoiceReconciliationRecord } from '../../ocpi/objects/invoice-reconciliation'
import type { Price } from '../../ocpi/types'
import { toEpochMs } from '../../ocpi/types'
import { fromNumber, sum, toJsonNumber, ZERO, type Decimal } from '../../tariff/decimal'

// mod_invoice_reconciliation, "Flow and Lifecycle": the receiving party reconciles "by computing the total amount for
// the Invoice Reconciliation Record's CDRs in their own systems, and comparing this computed amount to the amount
// listed in the invoice document". Pure: the caller reads the record and the CDRs it holds.

export interface ReconciledCdr {
  id: string
  credit: boolean
  credit_reference_id?: string
  currency: string
  total_cost: { before_taxes: number; after_taxes: number }
  /** Credit CDRs held here that correct this one (mod_cdrs, "Credit CDRs"). */
  credited_by: string[]
  /** The MSP's dispute of it (x-cdr-disputes): SETTLED once a credit CDR for it is held. */
  dispute?: { reason: string; text: string; state: 'OPEN' | 'WITHDRAWN' | 'SETTLED' }
}

export interface CurrencyTotal { currency: string; before_taxes: number; after_taxes: number }

export interface Reconciliation {
  status: 'MATCHES' | 'DIFFERS'
  /** Listed and held here, in the record's order. */
  cdrs: ReconciledCdr[]
  /** Listed but not held here. */
  unknown_cdrs: string[]
  /** Held here, listed by no record of the owner, and ended no later than the last CDR this record lists. */
  missing_cdrs: string[]
  /** The listed CDRs' total_cost added up per currency, credit CDRs with their negative amounts. */
  totals: CurrencyTotal[]
  /** When the invoice document's amount is given: it, and what it differs from the computed total. */
  invoice_amount?: { currency: string; amount: number; difference: number }
}

export interface ReconcileInput {
  record: InvoiceReconciliationRecord
  /** Every CDR of the relationship held here (the listed ones, their credits, those not invoiced). */
  held: readonly CDR[]
  /** Ids of CDRs any record of the same owner lists (upper-cased). */
  invoiced: ReadonlySet<string>
  /** The amount the invoice document states, after taxes. */
  invoice_amount?: { currency: string; amount: number }
  /** Disputes of CDRs of the relationship. */
  disputes?: readonly CdrDispute[]
}

export function reconcile({ record, held, invoiced, invoice_amount, disputes = [] }: ReconcileInput): Reconciliation {
  const byId = new Map(held.map((cdr) => [cdr.id.toUpperCase(), cdr]))
  const credits = new Map<string, string[]>()
  for (const cdr of held) {
    if (!cdr.credit || !cdr.credit_reference_id) continue
    const original = cdr.credit_reference_id.toUpperCase()
    credits.set(original, [...(credits.get(original) ?? []), cdr.id])
  }
  const disputeOf = new Map(disputes.map((dispute) => [dispute.cdr_id.toUpperCase(), dispute]))
  const listed = record.cdrs.map((id) => ({ id, cdr: byId.get(id.toUpperCase()) }))
  const found = listed.flatMap(({ cdr }) => (cdr ? [cdr] : []))
  const unknown_cdrs = listed.filter(({ cdr }) => !cdr).map(({ id }) => id)
  const lastEnd = Math.max(...found.map((cdr) => toEpochMs(cdr.end_date_time)))
  const missing_cdrs = held
    .filter((cdr) => !invoiced.has(cdr.id.toUpperCase()) && toEpochMs(cdr.end_date_time) <= lastEnd)
    .map((cdr) => cdr.id)
  const totals = currencyTotals(found)
  const difference = invoice_amount && invoiceDifference(totals, invoice_amount)
  const amountDiffers = difference !== undefined && (difference !== 0 || totals.some((total) => total.currency !== invoice_amount?.currency))
  const status = unknown_cdrs.length === 0 && missing_cdrs.length === 0 && !amountDiffers ? 'MATCHES' : 'DIFFERS'
  return {
    status,
    cdrs: found.map((cdr) => ({
      id: cdr.id,
      credit: cdr.credit === true,
      ...(cdr.credit_reference_id ? { credit_reference_id: cdr.credit_reference_id } : {}),
      currency: cdr.currency,
      total_cost: { before_taxes: toJsonNumber(fromNumber(cdr.total_cost.before_taxes)), after_taxes: toJsonNumber(afterTaxes(cdr.total_cost)) },
      credited_by: credits.get(cdr.id.toUpperCase()) ?? [],
      ...disputeField(disputeOf.get(cdr.id.toUpperCase()), credits.get(cdr.id.toUpperCase()) ?? []),
    })),
    unknown_cdrs,
    missing_cdrs,
    totals,
    ...(invoice_amount && difference !== undefined ? { invoice_amount: { ...invoice_amount, difference } } : {}),
  }
}

export const afterTaxes = (price: Price): Decimal => fromNumber(price.before_taxes).plus(sum((price.taxes ?? []).map((tax) => fromNumber(tax.amount))))

function currencyTotals(cdrs: readonly CDR[]): CurrencyTotal[] {
  const totals = new Map<string, { before: Decimal; after: Decimal }>()
  for (const cdr of cdrs) {
    const total = totals.get(cdr.currency) ?? { before: ZERO, after: ZERO }
    totals.set(cdr.currency, { before: total.before.plus(fromNumber(cdr.total_cost.before_taxes)), after: total.after.plus(afterTaxes(cdr.total_cost)) })
  }
  return [...totals].map(([currency, total]) => ({ currency, before_taxes: toJsonNumber(total.before), after_taxes: toJsonNumber(total.after) }))
}

/** The invoice's amount minus the computed total after taxes in its currency. */
function invoiceDifference(totals: CurrencyTotal[], invoice: { currency: string; amount: number }): number {
  const computed = totals.find((total) => total.currency === invoice.currency)?.after_taxes ?? 0
  return toJsonNumber(fromNumber(invoice.amount).minus(fromNumber(computed)))
}

function disputeField(dispute: CdrDispute | undefined, credits: readonly string[]): Pick<ReconciledCdr, 'dispute'> {
  if (!dispute) return {}
  return { dispute: { reason: dispute.reason, text: dispute.text, state: credits.length > 0 ? 'SETTLED' : dispute.state } }
}
