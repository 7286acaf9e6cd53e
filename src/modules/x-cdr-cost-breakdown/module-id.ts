/** The agreement id of the CDR `cost_breakdown` field (docs/extensions/cdr-cost-breakdown.md), as listed in a peer's extensions. */
export const X_CDR_COST_BREAKDOWN = 'x-cdr-cost-breakdown'
