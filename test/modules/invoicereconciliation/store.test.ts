import { describe, expect, it } from 'vitest'
import { getRecord, writeRecord } from '../../../src/modules/invoicereconciliation/store'
import type { InvoiceReconciliationRecord } from '../../../src/ocpi/objects/invoice-reconciliation'
import { db } from '../../ocpi/fixtures'
import { uniqueParty } from '../locations/fixtures'

// One row per record (docs/architecture.md, "Whose copy an object is"): own wins, and the peer that holds the party
// now takes over the copy a former holder sent.

const owner = uniqueParty('FR')
const record = (id: string, cdrs: string[]): InvoiceReconciliationRecord => ({ ...owner, id, invoice_id: `INV-${id}`, cdrs, last_updated: '2030-01-01T00:00:00Z' })
const stored = (id: string, cdrs: string[]) => ({ record: record(id, cdrs), billing: 'DIRECT' as const, counterparty: null })

describe('invoice reconciliation store', () => {
  it('never lets a peer replace an own record', async () => {
    expect(await writeRecord(db(), 'own', stored('O1', ['C1']), 'upsert')).toBe('created')
    expect(await writeRecord(db(), { peer_id: 'peer-a' }, stored('O1', ['C2']), 'create')).toBe('exists')
    expect(await writeRecord(db(), { peer_id: 'peer-a' }, stored('O1', ['C2']), 'upsert')).toBe('exists')
    expect((await getRecord(db(), 'own', record('O1', [])))?.record.cdrs).toEqual(['C1'])
    expect(await getRecord(db(), { peer_id: 'peer-a' }, record('O1', []))).toBeUndefined()
  })

  it('lets the next holder of a party take over the copy a former holder sent, and an own write take over any', async () => {
    expect(await writeRecord(db(), { peer_id: 'peer-a' }, stored('M1', ['C1']), 'create')).toBe('created')
    expect(await writeRecord(db(), { peer_id: 'peer-a' }, stored('M1', ['C1']), 'create')).toBe('exists')
    expect(await writeRecord(db(), { peer_id: 'peer-b' }, stored('M1', ['C2']), 'create')).toBe('created')
    expect(await getRecord(db(), { peer_id: 'peer-a' }, record('M1', []))).toBeUndefined()
    expect((await getRecord(db(), { peer_id: 'peer-b' }, record('M1', [])))?.record.cdrs).toEqual(['C2'])
    expect(await writeRecord(db(), 'own', stored('M1', ['C3']), 'upsert')).toBe('replaced')
    expect((await getRecord(db(), 'own', record('M1', [])))?.holder).toBe('own')
  })
})
