import { beforeAll, describe, expect, it } from 'vitest'
import cdrExample from '../../fixtures/spec/2.3.0/examples/cdr_example.json'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { hostParty, roleOf, toHeaders, uniquePartyId } from '../tokens/fixtures'

type Party = { country_code: string; party_id: string }

const cdrOf = (cpo: Party, emsp: Party, id: string, fields: Record<string, unknown> = {}) => ({
  ...cdrExample, ...cpo, id, cdr_token: { ...cdrExample.cdr_token, ...emsp, uid: `UID-${id}` }, ...fields,
})
const creditOf = (cpo: Party, emsp: Party, original: string) =>
  cdrOf(cpo, emsp, `${original}-C`, { credit: true, credit_reference_id: original, total_cost: { before_taxes: -4, taxes: [{ name: 'VAT', amount: -0.4 }] } })
const AGREED = ['x-cdr-disputes']

describe('x-cdr-disputes, MSP side: disputing a received CDR', () => {
  let emsp: Party
  const cpo = { country_code: 'BE', party_id: uniquePartyId() }
  let cpoPeer: { id: string; token: string }

  beforeAll(async () => {
    emsp = await hostParty('EMSP')
    cpoPeer = await registeredPeer({ roles: [roleOf('CPO', cpo)], extensions: AGREED })
    for (const id of ['X1', 'X2']) {
      await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token: cpoPeer.token, method: 'POST', body: cdrOf(cpo, emsp, id) })
    }
  })

  it('raises a dispute with a reason and text; a credit CDR for the CDR settles it', async () => {
    const url = `/cdrs/${cpo.country_code}/${cpo.party_id}/X1/dispute`
    const raised = await adminFetch(url, { method: 'PUT', body: { reason: 'WRONG_PRICE', text: 'Tariff says 0.25/kWh' } })
    expect(raised.status).toBe(200)
    expect(await raised.json()).toMatchObject({
      dispute: { ...cpo, cdr_id: 'X1', msp_country_code: emsp.country_code, msp_party_id: emsp.party_id, reason: 'WRONG_PRICE', state: 'OPEN' }, state: 'OPEN', settled_by: [],
    })
    await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token: cpoPeer.token, method: 'POST', body: creditOf(cpo, emsp, 'X1') })
    expect(await (await adminFetch(`${url}?source=received`)).json()).toMatchObject({ state: 'SETTLED', settled_by: ['X1-C'] })
    await ocpiFetch('/ocpi/2.3.0/receiver/invoicereconciliation', {
      token: cpoPeer.token, method: 'POST', headers: toHeaders(emsp),
      body: { ...cpo, id: 'RX', invoice_id: 'INV-X', cdrs: ['X1', 'X1-C', 'X2'], last_updated: '2025-01-01T00:00:00Z' },
    })
    const reconciled = await (await adminFetch(`/invoices/${cpo.country_code}/${cpo.party_id}/RX/reconciliation`)).json<any>()
    expect(reconciled.cdrs[0]).toMatchObject({ id: 'X1', credited_by: ['X1-C'], dispute: { reason: 'WRONG_PRICE', state: 'SETTLED' } })
    expect(reconciled.totals).toEqual([{ currency: 'EUR', before_taxes: 4, after_taxes: 4.4 }])
  })

  it('withdraws a dispute', async () => {
    const url = `/cdrs/${cpo.country_code}/${cpo.party_id}/X2/dispute`
    await adminFetch(url, { method: 'PUT', body: { reason: 'DUPLICATE', text: 'Same as X1' } })
    expect(await (await adminFetch(url, { method: 'DELETE' })).json()).toMatchObject({ state: 'WITHDRAWN' })
  })

  it('refuses bad input with the path, and disputes of CDRs not held', async () => {
    const url = `/cdrs/${cpo.country_code}/${cpo.party_id}/X2/dispute`
    const noText = await adminFetch(url, { method: 'PUT', body: { reason: 'OTHER' } })
    expect(noText.status).toBe(400)
    expect(await noText.json()).toMatchObject({ error: { path: 'text' } })
    const longText = await adminFetch(url, { method: 'PUT', body: { reason: 'OTHER', text: 'x'.repeat(513) } })
    expect(await longText.json()).toMatchObject({ error: { path: 'text' } })
    expect((await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/NOPE/dispute`, { method: 'PUT', body: { reason: 'OTHER', text: 't' } })).status).toBe(404)
  })
})

describe('x-cdr-disputes, CPO side: receiving the dispute of an issued CDR', () => {
  let cpo: Party
  const msp = { country_code: 'NL', party_id: uniquePartyId() }
  let mspPeer: { id: string; token: string }
  let otherMsp: { id: string; token: string }
  let notAgreed: { id: string; token: string }
  const dispute = (fields: Record<string, unknown> = {}) => ({
    ...cpo, cdr_id: 'Y1', msp_country_code: msp.country_code, msp_party_id: msp.party_id, reason: 'WRONG_ENERGY', text: 'Meter says 12 kWh',
    state: 'OPEN', last_updated: '2025-02-01T00:00:00Z', ...fields,
  })
  const receiverUrl = (id = 'Y1') => `/ocpi/2.3.0/receiver/x-cdr-disputes/${cpo.country_code}/${cpo.party_id}/${id}`

  beforeAll(async () => {
    cpo = await hostParty('CPO')
    mspPeer = await registeredPeer({ roles: [roleOf('EMSP', msp)], extensions: AGREED })
    otherMsp = await registeredPeer({ roles: [roleOf('EMSP', { country_code: 'NL', party_id: uniquePartyId() })], extensions: AGREED })
    notAgreed = await registeredPeer({ roles: [roleOf('EMSP', msp)] })
    expect((await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}`, { method: 'POST', body: cdrOf(cpo, msp, 'Y1') })).status).toBe(201)
  })

  it('stores the MSP\'s dispute, shows its state, and SETTLED once a credit CDR is issued', async () => {
    const put = await ocpiFetch(receiverUrl(), { token: mspPeer.token, method: 'PUT', body: dispute() })
    expect(await put.json<OcpiBody>()).toMatchObject({ status_code: 1000 })
    expect((await (await ocpiFetch(receiverUrl(), { token: mspPeer.token })).json<OcpiBody>()).data).toMatchObject({ reason: 'WRONG_ENERGY' })
    const state = `/cdrs/${cpo.country_code}/${cpo.party_id}/Y1/dispute?source=own`
    expect(await (await adminFetch(state)).json()).toMatchObject({ dispute: { text: 'Meter says 12 kWh' }, state: 'OPEN' })
    await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}`, { method: 'POST', body: creditOf(cpo, msp, 'Y1') })
    expect(await (await adminFetch(state)).json()).toMatchObject({ state: 'SETTLED', settled_by: ['Y1-C'] })
  })

  it('another MSP, or one without the agreement, finds no such CDR', async () => {
    const stranger = await ocpiFetch(receiverUrl(), { token: otherMsp.token, method: 'PUT', body: dispute() })
    expect(stranger.status).toBe(404)
    expect((await stranger.json<OcpiBody>()).status_code).toBe(2003)
    expect((await ocpiFetch(receiverUrl(), { token: otherMsp.token })).status).toBe(404)
    expect((await ocpiFetch(receiverUrl(), { token: notAgreed.token, method: 'PUT', body: dispute() })).status).toBe(404)
    expect((await ocpiFetch(receiverUrl('UNKNOWN'), { token: mspPeer.token, method: 'PUT', body: dispute({ cdr_id: 'UNKNOWN' }) })).status).toBe(404)
  })

  it('refuses bad input with 2001 and the path', async () => {
    const badReason = await ocpiFetch(receiverUrl(), { token: mspPeer.token, method: 'PUT', body: dispute({ reason: '' }) })
    expect(await badReason.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'reason' } })
    const otherCdr = await ocpiFetch(receiverUrl(), { token: mspPeer.token, method: 'PUT', body: dispute({ cdr_id: 'Y2' }) })
    expect(await otherCdr.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'cdr_id' } })
    const badState = await ocpiFetch(receiverUrl(), { token: mspPeer.token, method: 'PUT', body: dispute({ state: 'SETTLED' }) })
    expect(await badState.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'state' } })
  })
})
