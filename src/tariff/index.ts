// The pricing engine: pure functions from a Tariff and what a session used to an explainable price.
export type { AppliedComponent, BilledDimension, ComponentCost, Cost, CostType, PricedDimension, PricedPeriod, TariffBreakdown, TaxLine } from './breakdown'
export { cdrCosts, price221Of, priceOf } from './cdr-costs'
export { cdrCostBreakdown, transactionTypeOf } from './cdr-cost-breakdown'
export { priceSession } from './price-session'
export { type PricingContext, PricingError, type SessionUsage } from './types'
