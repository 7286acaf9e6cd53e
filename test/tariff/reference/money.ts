import type { Cost, TaxLine } from './breakdown'
import { Decimal, HUNDRED, MONEY_DECIMALS, MONEY_UNIT, roundMoney, sum, toText, ZERO } from './decimal'
import type { TaxIncluded } from './types'

// Amounts: one PriceComponent's cost is rounded once (4 decimals), then split into before taxes and VAT; every sum
// above that adds rounded amounts, so totals, tax lines and per-period shares add up exactly.

export interface Tax {
  /** null: a tax whose percentage is not known (only where min_price/max_price moved the taxes) */
  rate: Decimal | null
  amount: Decimal
}

/**
 * 2.2.1: `price` is "Price per unit (excl. VAT)", `vat` the "Applicable VAT percentage ... If omitted, no VAT is
 * applicable". 2.3.0: `price` "is including or excluding taxes according to the tax_included field of the Tariff"
 * (canonical 2.2.1 tariffs say NO), and TaxIncluded N/A: "No taxes are applicable to this Tariff".
 */
export function splitTaxes(amount: Decimal, vat: number | undefined, rate: Decimal | null, taxIncluded: TaxIncluded): { before: Decimal; tax: Tax | null } {
  if (taxIncluded === 'N/A' || vat === undefined || rate === null) return { before: amount, tax: null }
  if (taxIncluded === 'YES') {
    const before = roundMoney(amount.times(HUNDRED).div(HUNDRED.plus(rate)))
    return { before, tax: { rate, amount: amount.minus(before) } }
  }
  return { before: amount, tax: { rate, amount: roundMoney(amount.times(rate).div(HUNDRED)) } }
}

/** Adds amounts before taxes and taxes per rate. */
export class CostSum {
  before = ZERO
  readonly #taxes = new Map<string, Tax>()

  add(before: Decimal, taxes: Iterable<Tax>): this {
    this.before = this.before.plus(before)
    for (const tax of taxes) {
      const key = tax.rate === null ? 'unknown' : toText(tax.rate)
      const known = this.#taxes.get(key)
      this.#taxes.set(key, { rate: tax.rate, amount: known ? known.amount.plus(tax.amount) : tax.amount })
    }
    return this
  }

  /** Tax lines ordered by rate (unknown last), so equal sums print equally. */
  get taxes(): Tax[] {
    return [...this.#taxes.values()].sort((a, b) => (a.rate === null ? 1 : b.rate === null ? -1 : a.rate.cmp(b.rate)))
  }

  get after(): Decimal {
    return this.before.plus(sum(this.taxes.map((tax) => tax.amount)))
  }

  toCost(): Cost {
    return costOf(this.before, this.taxes)
  }
}

export function costOf(before: Decimal, taxes: Tax[]): Cost {
  const lines: TaxLine[] = taxes.map((tax) => ({ name: 'VAT', percentage: tax.rate === null ? null : toText(tax.rate), amount: toText(tax.amount) }))
  return { before_taxes: toText(before), taxes: lines, after_taxes: toText(before.plus(sum(taxes.map((tax) => tax.amount)))) }
}

/**
 * Splits a rounded amount over parts in proportion to their weights, each share rounded down to 4 decimals and the
 * units left over given to the largest remainders (the earliest part on a tie): the shares add up to the amount.
 */
export function allocate<T>(total: Decimal, parts: readonly T[], weightOf: (part: T) => Decimal): { part: T; share: Decimal }[] {
  const weighted = parts.map((part) => ({ part, weight: weightOf(part) }))
  const weightSum = sum(weighted.map(({ weight }) => weight))
  if (parts.length === 1 || weightSum.eq(ZERO)) return parts.map((part, index) => ({ part, share: index === 0 ? total : ZERO }))
  // One quotient (40 decimals) for all parts: a share off in its 40th decimal can only move a unit between parts.
  const perWeight = total.div(weightSum)
  const shares = weighted.map(({ part, weight }) => {
    const exact = perWeight.times(weight)
    const share = exact.round(MONEY_DECIMALS, Decimal.roundDown)
    return { part, share, remainder: exact.minus(share) }
  })
  let left = total.minus(sum(shares.map(({ share }) => share)))
  // A stable sort: on equal remainders the earlier part gets the unit.
  for (const entry of [...shares].sort((a, b) => b.remainder.cmp(a.remainder))) {
    if (left.lt(MONEY_UNIT)) break
    entry.share = entry.share.plus(MONEY_UNIT)
    left = left.minus(MONEY_UNIT)
  }
  return shares.map(({ part, share }) => ({ part, share }))
}
