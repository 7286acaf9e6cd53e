import type { PriceLimitApplied } from './breakdown'
import { type Decimal, fromNumber, max, min, roundMoney, sum, ZERO } from './decimal'
import { allocate, CostSum, type Tax } from './money'
import type { Tariff } from './types'

type Limit = { before_taxes: number; after_taxes?: number } | undefined

const clamp = (value: Decimal, lower: number | undefined, upper: number | undefined) => {
  const raised = lower === undefined ? value : max(value, fromNumber(lower))
  return upper === undefined ? raised : min(raised, fromNumber(upper))
}

/**
 * mod_tariffs, Tariff object, notes on min_price and max_price: both limits hold separately before and after taxes
 * ("The total cost of a Charging Session before taxes can never be lower than the value of the min_price's
 * before_taxes field", "... after taxes can never be lower than ... after_taxes", and the same for max_price).
 * The amount before taxes is limited first; taxes follow it in proportion, then the total after taxes is limited,
 * never below the amount before taxes. Under tax_included N/A no taxes apply, so the one amount meets both.
 */
export function applyPriceLimits(total: CostSum, tariff: Tariff): { total: CostSum; applied: PriceLimitApplied['applied'] } {
  const minimum: Limit = tariff.min_price
  const maximum: Limit = tariff.max_price
  if (minimum === undefined && maximum === undefined) return { total, applied: [] }

  const before = total.before
  const taxes = total.taxes
  const taxSum = sum(taxes.map((tax) => tax.amount))
  let limitedBefore = roundMoney(clamp(before, minimum?.before_taxes, maximum?.before_taxes))
  if (tariff.tax_included === 'N/A') limitedBefore = roundMoney(clamp(limitedBefore, minimum?.after_taxes, maximum?.after_taxes))
  const naturalTaxes = before.gt(ZERO) ? taxSum.times(limitedBefore).div(before) : ZERO
  const limitedAfter = tariff.tax_included === 'N/A'
    ? limitedBefore
    : max(roundMoney(clamp(limitedBefore.plus(naturalTaxes), minimum?.after_taxes, maximum?.after_taxes)), limitedBefore)

  const after = before.plus(taxSum)
  if (limitedBefore.eq(before) && limitedAfter.eq(after)) return { total, applied: [] }

  const applied: PriceLimitApplied['applied'] = []
  if (limitedBefore.gt(before) || limitedAfter.gt(after)) applied.push('MIN_PRICE')
  if (limitedBefore.lt(before) || limitedAfter.lt(after)) applied.push('MAX_PRICE')

  const newTaxSum = limitedAfter.minus(limitedBefore)
  const limitedTaxes: Tax[] = taxes.length === 0 || taxSum.eq(ZERO)
    ? newTaxSum.gt(ZERO) ? [{ rate: null, amount: newTaxSum }] : []
    : allocate(newTaxSum, taxes, (tax) => tax.amount).map(({ part, share }) => ({ rate: part.rate, amount: share }))
  return { total: new CostSum().add(limitedBefore, limitedTaxes), applied }
}
