import { beforeAll, describe, expect, it } from 'vitest'
import cdrExample from '../../fixtures/spec/2.3.0/examples/cdr_example.json'
import { adminFetch, ocpiFetch, registeredPeer } from '../../ocpi/fixtures'
import { hostParty, roleOf, uniquePartyId } from '../tokens/fixtures'

type Party = { country_code: string; party_id: string }

// Eichrecht (OCMF) signed data as a meter produces it: the receipt must hand it on exactly as the CPO sent it.
const signed_data = {
  encoding_method: 'OCMF', encoding_method_version: 1, public_key: '3059301306072a8648ce3d020106082a8648ce3d03010703420004c1b5',
  url: 'https://www.safe.tl/transparenz',
  signed_values: [{ nature: 'Start', signed_data: 'MEUCIQD+8pJsyi3VQyZwVlH+Lxr5Vkk1JhYDtFEmB1s0k2ld8wIgXr+ab2Zx/é\\u00e9', plain_data: 'OCMF|{"FV":"1.0","GI":"KEBA_KCP30","GS":"17619300","GV":"2.8.5","PG":"T32","RD":[{"TM":"2024-12-05T17:39:09,000+0000 S","RV":2935.6,"RI":"1-b:1.8.0","RU":"kWh"}]}' }],
}

describe('CDR receipts (management API)', () => {
  let emsp: Party
  const cpo = { country_code: 'BE', party_id: uniquePartyId() }
  const cdr = (id: string, fields: Record<string, unknown> = {}) => ({ ...cdrExample, ...cpo, id, cdr_token: { ...cdrExample.cdr_token, ...emsp }, ...fields })

  beforeAll(async () => {
    emsp = await hostParty('EMSP')
    const peer = await registeredPeer({ roles: [roleOf('CPO', cpo)] })
    for (const body of [cdr('RC1', { signed_data }), cdr('RC2', { cdr_location: { ...cdrExample.cdr_location, name: '<script>alert("x")</script>' }, tariffs: undefined })]) {
      expect((await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token: peer.token, method: 'POST', body })).status).toBe(201)
    }
  })

  it('gives cost per cost type with VAT, and per charging period and dimension from the engine when the CDR carries its tariff', async () => {
    const response = await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/RC1/receipt`)
    expect(response.status).toBe(200)
    const receipt = await response.json<any>()
    expect(receipt).toMatchObject({
      cdr: { id: 'RC1', credit: false }, contract: { contract_id: cdrExample.cdr_token.contract_id }, currency: 'EUR', transaction_type: 'COMMERCIAL',
      costs: expect.arrayContaining([{ cost_type: 'total', before_taxes: 4, taxes: [{ name: 'VAT', amount: 0.4 }], after_taxes: 4.4 }]),
      pricing: { tariff_id: cdrExample.tariffs[0]!.id, time_zone: 'UTC', difference_after_taxes: 0 },
    })
    expect(JSON.stringify(receipt)).not.toContain(cdrExample.cdr_token.uid)
    expect(receipt.pricing.periods.length).toBeGreaterThan(0)
    expect(receipt.pricing.periods[0].dimensions[0]).toHaveProperty('cost.after_taxes')
    expect(receipt.pricing.vat_by_cost_type.length).toBeGreaterThan(0)
  })

  it('passes Eichrecht signed_data through untouched', async () => {
    const receipt = await (await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/RC1/receipt`)).json<any>()
    // Every value byte for byte; the members in the spec's field order (SignedData, SignedValue), as posted here.
    expect(JSON.stringify(receipt.signed_data)).toBe(JSON.stringify(signed_data))
    expect(receipt.signed_data.signed_values[0].plain_data).toBe(signed_data.signed_values[0]!.plain_data)
    const stored = await (await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/RC1?source=received`)).json<any>()
    expect(JSON.stringify(stored.signed_data)).toBe(JSON.stringify(signed_data))
  })

  it('says why the engine could not price a CDR without a tariff', async () => {
    const receipt = await (await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/RC2/receipt`)).json<any>()
    expect(receipt.pricing).toEqual({ unavailable: 'the CDR carries no tariff' })
  })

  it('prints a self-contained HTML receipt, every value escaped, at .html and by content negotiation', async () => {
    const printable = await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/RC2/receipt.html`)
    expect(printable.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(printable.headers.get('Content-Security-Policy')).toContain("default-src 'none'")
    const html = await printable.text()
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    expect(html).not.toMatch(/<script|src=|href=|@import|url\(/i)
    const negotiated = await exportsFetchHtml(`/cdrs/${cpo.country_code}/${cpo.party_id}/RC1/receipt`)
    expect(negotiated.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(await negotiated.text()).toContain('Charging periods')
  })

  it('a CDR not held is 404', async () => {
    expect((await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/NOPE/receipt`)).status).toBe(404)
    expect((await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/RC1/receipt?source=own`)).status).toBe(404)
  })
})

async function exportsFetchHtml(path: string) {
  const { exports } = await import('cloudflare:workers')
  return exports.default.fetch(new Request(`http://localhost/admin/v1${path}`, { headers: { Authorization: 'Bearer test-admin-token', Accept: 'text/html' } }))
}
