import type { Receipt, ReceiptCost } from './receipt'

// The printable receipt: one self-contained HTML page (inline style, no scripts, images, fonts or links to fetch), every
// value from the CDR escaped, since a CDR's texts come from a peer.

const escapeHtml = (value: unknown) =>
  String(value).replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!)

const row = (...cells: unknown[]) => `<tr>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`

const taxText = (cost: ReceiptCost) => cost.taxes.map((tax) => `${tax.name}${tax.percentage !== undefined ? ` ${tax.percentage} %` : ''}: ${tax.amount}`).join(', ') || '-'

export function receiptHtml(receipt: Receipt): string {
  const { cdr, location, currency } = receipt
  const periods = 'periods' in receipt.pricing
    ? receipt.pricing.periods.flatMap((period) => period.dimensions.map((dimension) =>
      row(period.start_date_time, period.kind, dimension.type, `${dimension.billed_volume} ${dimension.unit}`, dimension.price_component?.price ?? '-',
        dimension.cost.before_taxes, dimension.cost.taxes.map((tax) => `${tax.percentage ?? ''} % ${tax.amount}`).join(', ') || '-', dimension.cost.after_taxes)))
    : []
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Receipt ${escapeHtml(cdr.id)}</title>
<style>body{font-family:sans-serif;max-width:48em;margin:2em auto}table{border-collapse:collapse;width:100%;margin:1em 0}td,th{border-bottom:1px solid #ccc;padding:.3em;text-align:left}</style>
</head><body>
<h1>Charging receipt</h1>
<table>
${row('Receipt for CDR', `${cdr.country_code}*${cdr.party_id} ${cdr.id}${cdr.credit ? ` (credit for ${cdr.credit_reference_id ?? ''})` : ''}`)}
${row('Contract', receipt.contract.contract_id)}
${row('Location', [location.name, location.address, location.postal_code, location.city, location.country].filter(Boolean).join(', '))}
${row('Charge point', `${location.evse_id} connector ${location.connector_id}`)}
${row('Start', receipt.start_date_time)}
${row('End', receipt.end_date_time)}
${row('Energy', `${receipt.total_energy} kWh`)}
${row('Transaction', receipt.transaction_type)}
</table>
<h2>Costs (${escapeHtml(currency)})</h2>
<table><tr><th>type</th><th>before taxes</th><th>taxes</th><th>after taxes</th></tr>
${receipt.costs.map((cost) => row(cost.cost_type, cost.before_taxes, taxText(cost), cost.after_taxes)).join('\n')}
</table>
${periods.length > 0 ? `<h2>Charging periods</h2>
<table><tr><th>start</th><th>kind</th><th>dimension</th><th>billed</th><th>price</th><th>before taxes</th><th>VAT</th><th>after taxes</th></tr>
${periods.join('\n')}
</table>` : ''}
${receipt.signed_data ? `<p>Signed meter data (${escapeHtml(receipt.signed_data.encoding_method)}) is included in the JSON receipt for verification.</p>` : ''}
</body></html>
`
}
