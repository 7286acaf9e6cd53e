import { beforeAll, describe, expect, it } from 'vitest'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { emspWithCpoPeers, hostParty, roleOf, toHeaders, uniquePartyId } from '../tokens/fixtures'
import { cdrOf, type Party } from '../cdrs/fixtures'

const recordOf = (owner: Party, id: string, cdrs: string[], fields: Record<string, unknown> = {}) => ({
  ...owner, id, invoice_id: `INV-${id}`, cdrs, last_updated: '2025-01-01T00:00:00Z', ...fields,
})
const RECEIVER = '/ocpi/2.3.0/receiver/invoicereconciliation'

async function postCdr(token: string, cdr: Record<string, unknown>) {
  const response = await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token, method: 'POST', body: cdr })
  expect(response.status, await response.clone().text()).toBe(201)
}

describe('Invoice Reconciliation Receiver, direct billing (this platform is the MSP)', () => {
  let emsp: Party
  const cpo = { country_code: 'BE', party_id: uniquePartyId() }
  let cpoPeer: { id: string; token: string }
  let otherPeer: { id: string; token: string }

  beforeAll(async () => {
    ;({ emsp, cpoPeer, otherPeer } = await emspWithCpoPeers(cpo))
    await postCdr(cpoPeer.token, cdrOf(cpo, emsp, 'D1', { end_date_time: '2025-03-10T10:00:00Z' }))
    await postCdr(cpoPeer.token, cdrOf(cpo, emsp, 'D2', { end_date_time: '2025-03-20T10:00:00Z' }))
    // Ended after March's invoice was cut: delivered, but belonging to April's invoice (the chapter's "CDR 4").
    await postCdr(cpoPeer.token, cdrOf(cpo, emsp, 'D4', { end_date_time: '2025-04-02T10:00:00Z' }))
  })

  it('stores a POSTed record (201) and reconciles it: every CDR held, totals per currency, nothing missing', async () => {
    const post = await ocpiFetch(RECEIVER, { token: cpoPeer.token, method: 'POST', body: recordOf(cpo, 'R1', ['D1', 'd2']), headers: toHeaders(emsp) })
    expect(post.status).toBe(201)
    expect(await post.json<OcpiBody>()).toMatchObject({ status_code: 1000 })
    const response = await adminFetch(`/invoices/${cpo.country_code}/${cpo.party_id}/R1/reconciliation`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      source: 'received', peer_id: cpoPeer.id, billing: 'DIRECT', counterparty: emsp, status: 'MATCHES',
      cdrs: [{ id: 'D1', total_cost: { before_taxes: 4, after_taxes: 4.4 }, credited_by: [] }, { id: 'D2' }],
      unknown_cdrs: [], missing_cdrs: [], totals: [{ currency: 'EUR', before_taxes: 8, after_taxes: 8.8 }],
    })
    const withAmount = await adminFetch(`/invoices/${cpo.country_code}/${cpo.party_id}/R1/reconciliation?invoice_amount=8.8&currency=EUR`)
    expect(await withAmount.json()).toMatchObject({ status: 'MATCHES', invoice_amount: { amount: 8.8, currency: 'EUR', difference: 0 } })
    const overbilled = await adminFetch(`/invoices/${cpo.country_code}/${cpo.party_id}/R1/reconciliation?invoice_amount=9.9&currency=EUR`)
    expect(await overbilled.json()).toMatchObject({ status: 'DIFFERS', invoice_amount: { difference: 1.1 } })
  })

  it('reports CDRs listed but unknown here, and CDRs held but on no record up to the last one listed', async () => {
    await postCdr(cpoPeer.token, cdrOf(cpo, emsp, 'D3', { end_date_time: '2025-03-25T10:00:00Z' }))
    await ocpiFetch(RECEIVER, { token: cpoPeer.token, method: 'POST', body: recordOf(cpo, 'R2', ['D4', 'NOT-SENT']), headers: toHeaders(emsp) })
    const response = await adminFetch(`/invoices/${cpo.country_code}/${cpo.party_id}/R2/reconciliation`)
    expect(await response.json()).toMatchObject({ status: 'DIFFERS', cdrs: [{ id: 'D4' }], unknown_cdrs: ['NOT-SENT'], missing_cdrs: ['D3'] })
  })

  it('shows the credit CDR that corrects a listed one', async () => {
    await postCdr(cpoPeer.token, cdrOf(cpo, emsp, 'D1-C', {
      credit: true, credit_reference_id: 'D1', total_cost: { before_taxes: -4, taxes: [{ name: 'VAT', amount: -0.4 }] }, end_date_time: '2025-03-10T10:00:00Z',
    }))
    await ocpiFetch(RECEIVER, { token: cpoPeer.token, method: 'POST', body: recordOf(cpo, 'R3', ['D1-C']), headers: toHeaders(emsp) })
    const r1 = await (await adminFetch(`/invoices/${cpo.country_code}/${cpo.party_id}/R1/reconciliation`)).json<any>()
    expect(r1.cdrs[0]).toMatchObject({ id: 'D1', credited_by: ['D1-C'] })
    const r3 = await (await adminFetch(`/invoices/${cpo.country_code}/${cpo.party_id}/R3/reconciliation`)).json<any>()
    expect(r3).toMatchObject({ cdrs: [{ id: 'D1-C', credit: true, credit_reference_id: 'D1' }], totals: [{ currency: 'EUR', before_taxes: -4, after_taxes: -4.4 }] })
  })

  it('acknowledges a retried POST, refuses a different record under a held id, and takes changes as PUT', async () => {
    const record = recordOf(cpo, 'R5', ['D1'])
    await ocpiFetch(RECEIVER, { token: cpoPeer.token, method: 'POST', body: record, headers: toHeaders(emsp) })
    const again = await ocpiFetch(RECEIVER, { token: cpoPeer.token, method: 'POST', body: record, headers: toHeaders(emsp) })
    expect(again.status).toBe(200)
    const changed = await ocpiFetch(RECEIVER, { token: cpoPeer.token, method: 'POST', body: { ...record, cdrs: ['D2'] }, headers: toHeaders(emsp) })
    expect(await changed.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'id' } })
    const url = `${RECEIVER}/${cpo.country_code}/${cpo.party_id}/R5`
    const put = await ocpiFetch(url, { token: cpoPeer.token, method: 'PUT', body: { ...record, cdrs: ['D1', 'D2'], last_updated: '2025-01-02T00:00:00Z' }, headers: toHeaders(emsp) })
    expect(await put.json<OcpiBody>()).toMatchObject({ status_code: 1000 })
    const older = await ocpiFetch(url, { token: cpoPeer.token, method: 'PUT', body: { ...record, cdrs: ['D4'] }, headers: toHeaders(emsp) })
    expect(await older.json<OcpiBody>()).toMatchObject({ status_code: 1000 })
    const get = await ocpiFetch(url, { token: cpoPeer.token })
    expect((await get.json<OcpiBody>()).data).toMatchObject({ cdrs: ['D1', 'D2'] })
    expect((await ocpiFetch(url, { token: cpoPeer.token, method: 'DELETE' })).status).toBe(200)
    expect((await ocpiFetch(url, { token: cpoPeer.token })).status).toBe(404)
  })

  it('refuses bad input with 2001 and the path, and stores nothing', async () => {
    const empty = await ocpiFetch(RECEIVER, { token: cpoPeer.token, method: 'POST', body: recordOf(cpo, 'BAD1', []), headers: toHeaders(emsp) })
    expect(await empty.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'cdrs' } })
    const long = await ocpiFetch(RECEIVER, { token: cpoPeer.token, method: 'POST', body: recordOf(cpo, 'BAD2', ['x'.repeat(37)]), headers: toHeaders(emsp) })
    expect(await long.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'cdrs.0' } })
    const noInvoice = await ocpiFetch(RECEIVER, { token: cpoPeer.token, method: 'POST', body: recordOf(cpo, 'BAD3', ['D1'], { invoice_id: undefined }), headers: toHeaders(emsp) })
    expect(await noInvoice.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'invoice_id' } })
    const foreign = await ocpiFetch(RECEIVER, { token: otherPeer.token, method: 'POST', body: recordOf(cpo, 'BAD4', ['D1']), headers: toHeaders(emsp) })
    expect(await foreign.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'country_code' } })
    const mismatch = await ocpiFetch(`${RECEIVER}/${cpo.country_code}/${cpo.party_id}/BAD5`, { token: cpoPeer.token, method: 'PUT', body: recordOf(cpo, 'OTHER', ['D1']) })
    expect(await mismatch.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'id' } })
    const unknownReceiver = await ocpiFetch(RECEIVER, { token: cpoPeer.token, method: 'POST', body: recordOf(cpo, 'BAD6', ['D1']), headers: toHeaders({ country_code: 'FR', party_id: 'ZZZ' }) })
    expect(await unknownReceiver.json<OcpiBody>()).toMatchObject({ status_code: 4001 })
    for (const id of ['BAD1', 'BAD2', 'BAD3', 'BAD4', 'BAD5', 'BAD6']) {
      expect((await adminFetch(`/invoices/${cpo.country_code}/${cpo.party_id}/${id}`)).status).toBe(404)
    }
  })

  it('a peer never reads, replaces or deletes another peer\'s record: not found', async () => {
    const url = `${RECEIVER}/${cpo.country_code}/${cpo.party_id}/R1`
    for (const method of ['GET', 'DELETE'] as const) {
      const response = await ocpiFetch(url, { token: otherPeer.token, method })
      expect(response.status).toBe(404)
      expect((await response.json<OcpiBody>()).status_code).toBe(2003)
    }
    const put = await ocpiFetch(url, { token: otherPeer.token, method: 'PUT', body: recordOf(cpo, 'R1', ['D2'], { last_updated: '2026-01-01T00:00:00Z' }) })
    expect(put.status).toBe(404)
    expect((await (await ocpiFetch(url, { token: cpoPeer.token })).json<OcpiBody>()).data).toMatchObject({ cdrs: ['D1', 'd2'] })
  })

  it('is a 2.3.0 module: not served over 2.2.1', async () => {
    const response = await ocpiFetch(`/ocpi/2.2.1/receiver/invoicereconciliation`, { token: cpoPeer.token, method: 'POST', body: recordOf(cpo, 'R9', ['D1']) })
    expect(response.status).toBe(404)
  })
})

describe('Invoice Reconciliation, reverse billing (this platform is the CPO)', () => {
  let cpo: Party
  const msp = { country_code: 'NL', party_id: uniquePartyId() }
  let mspPeer: { id: string; token: string }

  beforeAll(async () => {
    cpo = await hostParty('CPO')
    mspPeer = await registeredPeer({ roles: [roleOf('EMSP', msp)] })
    for (const id of ['V1', 'V2']) {
      const response = await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}`, { method: 'POST', body: cdrOf(cpo, msp, id) })
      expect(response.status).toBe(201)
    }
  })

  it('reconciles the MSP\'s credit invoice record against the CDRs issued here', async () => {
    const post = await ocpiFetch(RECEIVER, { token: mspPeer.token, method: 'POST', body: recordOf(msp, 'RB1', ['V1', 'V2']), headers: toHeaders(cpo) })
    expect(post.status).toBe(201)
    const response = await adminFetch(`/invoices/${msp.country_code}/${msp.party_id}/RB1/reconciliation`)
    expect(await response.json()).toMatchObject({ billing: 'REVERSE', counterparty: cpo, status: 'MATCHES', cdrs: [{ id: 'V1' }, { id: 'V2' }], totals: [{ after_taxes: 8.8 }] })
  })
})

describe('Invoice Reconciliation Sender and management API (records of hosted parties)', () => {
  let cpo: Party
  const msp = { country_code: 'NL', party_id: uniquePartyId() }
  let mspPeer: { id: string; token: string }
  let strangerPeer: { id: string; token: string }

  beforeAll(async () => {
    cpo = await hostParty('CPO')
    mspPeer = await registeredPeer({ roles: [roleOf('EMSP', msp)] })
    strangerPeer = await registeredPeer({ roles: [roleOf('EMSP', { country_code: 'NL', party_id: uniquePartyId() })] })
    await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}`, { method: 'POST', body: cdrOf(cpo, msp, 'S1') })
  })

  it('creates (201) and replaces (200) a record, which only the peers of its counterparty pull', async () => {
    const body = { invoice_id: 'INV-2025-03', cdrs: ['S1'], counterparty: `${msp.country_code}*${msp.party_id}` }
    const created = await adminFetch(`/invoices/${cpo.country_code}/${cpo.party_id}/OWN1`, { method: 'PUT', body })
    expect(created.status).toBe(201)
    expect(await created.json()).toMatchObject({ ...cpo, id: 'OWN1', invoice_id: 'INV-2025-03', cdrs: ['S1'] })
    const replaced = await adminFetch(`/invoices/${cpo.country_code}/${cpo.party_id}/OWN1`, { method: 'PUT', body: { ...body, invoice_id: 'INV-2025-03b' } })
    expect(replaced.status).toBe(200)
    const pulled = await ocpiFetch('/ocpi/2.3.0/sender/invoicereconciliation', { token: mspPeer.token })
    expect(pulled.headers.get('X-Total-Count')).toBe('1')
    expect((await pulled.json<OcpiBody>()).data).toMatchObject([{ id: 'OWN1', invoice_id: 'INV-2025-03b' }])
    const stranger = await ocpiFetch('/ocpi/2.3.0/sender/invoicereconciliation', { token: strangerPeer.token })
    expect((await stranger.json<OcpiBody>()).data).toEqual([])
    const own = await (await adminFetch(`/invoices/${cpo.country_code}/${cpo.party_id}/OWN1/reconciliation?source=own`)).json()
    expect(own).toMatchObject({ billing: 'DIRECT', status: 'MATCHES', cdrs: [{ id: 'S1' }] })
    const listed = await (await adminFetch(`/invoices?source=own&party=${cpo.country_code}*${cpo.party_id}`)).json()
    expect(listed).toMatchObject([{ id: 'OWN1' }])
  })

  it('refuses bad management input with the path, and unknown owners', async () => {
    const noCdrs = await adminFetch(`/invoices/${cpo.country_code}/${cpo.party_id}/OWN2`, { method: 'PUT', body: { invoice_id: 'I', cdrs: [], counterparty: 'NL*ABC' } })
    expect(noCdrs.status).toBe(400)
    expect(await noCdrs.json()).toMatchObject({ error: { path: 'cdrs' } })
    const badParty = await adminFetch(`/invoices/${cpo.country_code}/${cpo.party_id}/OWN2`, { method: 'PUT', body: { invoice_id: 'I', cdrs: ['S1'], counterparty: 'NL-ABC' } })
    expect(await badParty.json()).toMatchObject({ error: { path: 'counterparty' } })
    const notHosted = await adminFetch('/invoices/FR/ZZZ/OWN2', { method: 'PUT', body: { invoice_id: 'I', cdrs: ['S1'], counterparty: 'NL*ABC' } })
    expect(notHosted.status).toBe(404)
    const halfAmount = await adminFetch(`/invoices/${cpo.country_code}/${cpo.party_id}/OWN1/reconciliation?source=own&invoice_amount=3`)
    expect(await halfAmount.json()).toMatchObject({ error: { path: 'currency' } })
  })

  it('deletes a record (204)', async () => {
    await adminFetch(`/invoices/${cpo.country_code}/${cpo.party_id}/OWN3`, { method: 'PUT', body: { invoice_id: 'I3', cdrs: ['S1'], counterparty: `${msp.country_code}*${msp.party_id}` } })
    expect((await adminFetch(`/invoices/${cpo.country_code}/${cpo.party_id}/OWN3`, { method: 'DELETE' })).status).toBe(204)
    expect((await adminFetch(`/invoices/${cpo.country_code}/${cpo.party_id}/OWN3?source=own`)).status).toBe(404)
  })
})
