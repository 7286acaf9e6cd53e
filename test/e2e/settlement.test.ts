import { beforeAll, describe, expect, it } from 'vitest'
import { cdrOf, driverToken, eventually, partyId } from './driver-records'
import { a, b, grantsOf, unique } from './harness'

// Settlement between two real platforms over 2.3.0: a hosts a CPO, b an eMSP whose driver charged at a. a posts the
// CDRs and invoices them (direct billing) with an Invoice Reconciliation record; b reconciles it, disputes a CDR
// (x-cdr-disputes, agreed both ways), and a's credit CDR settles the dispute on both sides.

const poll = { timeout: 20_000, interval: 250 }

describe('invoice reconciliation, disputes and credit CDRs from CPO platform a to eMSP platform b', () => {
  const cpo = { country_code: 'NL', party_id: partyId() }
  const emsp = { country_code: 'DE', party_id: partyId() }
  const token = driverToken(emsp)
  const [first, second, disputed] = [unique('CDR'), unique('CDR'), unique('CDR')]
  const cpoPath = `${cpo.country_code}/${cpo.party_id}`

  const postCdr = async (body: Record<string, unknown>) => {
    expect((await a.adminRaw('POST', `/cdrs/${cpoPath}`, body)).status).toBe(201)
    await eventually(async () => (await b.adminRaw('GET', `/cdrs/${cpoPath}/${body.id}?source=received`)).status, (status) => status === 200)
  }

  beforeAll(async () => {
    await a.admin('POST', '/parties', { ...cpo, role: 'CPO', business_details: { name: 'E2E CPO' } })
    await b.admin('POST', '/parties', { ...emsp, role: 'EMSP', business_details: { name: 'E2E eMSP' } })
    const invite = await a.admin('POST', '/peers/invite', { name: 'b for settlement', grants: await grantsOf(b), extensions: ['x-cdr-disputes'] })
    expect(await b.admin('POST', '/peers/connect', {
      versions_url: invite.versions_url, token_a: invite.token_a, version: '2.3.0', grants: await grantsOf(a), extensions: ['x-cdr-disputes'],
    })).toMatchObject({ version: '2.3.0', status: 'CONNECTED' })
    for (const id of [first, second]) await postCdr(cdrOf(cpo, token, unique('S'), id))
    // Ended after the first invoice's CDRs: not missing from it.
    await postCdr({ ...cdrOf(cpo, token, unique('S'), disputed), end_date_time: '2026-03-01T11:30:00Z' })
  })

  it('a record that matches: every CDR held at b, the invoice amount equal to their total', async () => {
    const recordId = unique('IR')
    expect((await a.adminRaw('PUT', `/invoices/${cpoPath}/${recordId}`, { invoice_id: 'INV-1', cdrs: [first, second], counterparty: `${emsp.country_code}*${emsp.party_id}` })).status).toBe(201)
    await expect.poll(async () => (await b.adminRaw('GET', `/invoices/${cpoPath}/${recordId}/reconciliation?invoice_amount=6.78&currency=EUR`)).body, poll).toMatchObject({
      billing: 'DIRECT', counterparty: emsp, status: 'MATCHES', unknown_cdrs: [], missing_cdrs: [],
      totals: [{ currency: 'EUR', before_taxes: 5.6, after_taxes: 6.78 }], invoice_amount: { difference: 0 },
    })
  })

  it('a record that does not match: a CDR b never received, and an amount above the CDRs\' total', async () => {
    const recordId = unique('IR')
    await a.admin('PUT', `/invoices/${cpoPath}/${recordId}`, { invoice_id: 'INV-2', cdrs: [disputed, 'NEVER-SENT'], counterparty: `${emsp.country_code}*${emsp.party_id}` })
    await expect.poll(async () => (await b.adminRaw('GET', `/invoices/${cpoPath}/${recordId}/reconciliation?invoice_amount=5&currency=EUR`)).body, poll).toMatchObject({
      status: 'DIFFERS', cdrs: [{ id: disputed }], unknown_cdrs: ['NEVER-SENT'], invoice_amount: { difference: 1.61 },
    })
  })

  it('b disputes a CDR, a sees the dispute, and a\'s credit CDR settles it on both sides', async () => {
    const raised = await b.admin('PUT', `/cdrs/${cpoPath}/${disputed}/dispute`, { reason: 'WRONG_ENERGY', text: 'The meter shows 5 kWh, not 7' })
    expect(raised).toMatchObject({ state: 'OPEN' })
    await expect.poll(async () => (await a.adminRaw('GET', `/cdrs/${cpoPath}/${disputed}/dispute?source=own`)).body, poll).toMatchObject({
      dispute: { reason: 'WRONG_ENERGY', text: 'The meter shows 5 kWh, not 7', msp_party_id: emsp.party_id }, state: 'OPEN',
    })
    const credit = { ...cdrOf(cpo, token, unique('S'), `${disputed}-C`), credit: true, credit_reference_id: disputed, total_cost: { before_taxes: -2.8, taxes: [{ name: 'VAT', amount: -0.59 }] } }
    await postCdr(credit)
    expect(await a.admin('GET', `/cdrs/${cpoPath}/${disputed}/dispute?source=own`)).toMatchObject({ state: 'SETTLED', settled_by: [credit.id] })
    expect(await b.admin('GET', `/cdrs/${cpoPath}/${disputed}/dispute?source=received`)).toMatchObject({ state: 'SETTLED', settled_by: [credit.id] })
    const recordId = unique('IR')
    await a.admin('PUT', `/invoices/${cpoPath}/${recordId}`, { invoice_id: 'INV-3', cdrs: [disputed, credit.id], counterparty: `${emsp.country_code}*${emsp.party_id}` })
    await expect.poll(async () => (await b.adminRaw('GET', `/invoices/${cpoPath}/${recordId}/reconciliation?invoice_amount=0&currency=EUR`)).body, poll).toMatchObject({
      status: 'MATCHES', cdrs: [{ id: disputed, credited_by: [credit.id], dispute: { state: 'SETTLED' } }, { id: credit.id, credit: true }],
      totals: [{ currency: 'EUR', before_taxes: 0, after_taxes: 0 }],
    })
  })

  it('b prints the receipt of a CDR it received', async () => {
    const receipt = await b.admin('GET', `/cdrs/${cpoPath}/${first}/receipt`)
    expect(receipt).toMatchObject({ cdr: { id: first }, costs: [{ cost_type: 'total', after_taxes: 3.39 }], transaction_type: 'COMMERCIAL' })
  })
})
