import type { Database } from '../../db/client'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import type { InvoiceReconciliationRecord } from '../../ocpi/objects/invoice-reconciliation'
import { peersRepresenting } from '../../peers/store'
import { publish } from '../../push/publish'
import type { PushChange } from '../../push/types'

// mod_invoice_reconciliation, "Push model": a new record is POSTed, a changed one PUT, a record that "was an error"
// DELETEd, each to the party the record is for. The module exists in 2.3.0 only: peers on 2.2.1 get nothing.

export type RecordChange = 'created' | 'replaced' | 'deleted'

export async function publishRecord(env: Env, db: Database, record: InvoiceReconciliationRecord, counterparty: PartyRef, change: RecordChange) {
  const from = { country_code: record.country_code.toUpperCase(), party_id: record.party_id.toUpperCase() }
  const ids = [from.country_code, from.party_id, record.id]
  const push: PushChange = {
    module: 'invoicereconciliation',
    method: change === 'created' ? 'POST' : change === 'replaced' ? 'PUT' : 'DELETE',
    path: change === 'created' ? [] : ids,
    bodies: { '2.3.0': change === 'deleted' ? null : record },
    from,
    objectKey: `invoicereconciliation/${ids.join('/')}`,
  }
  const to = { country_code: counterparty.country_code.toUpperCase(), party_id: counterparty.party_id.toUpperCase() }
  const peerIds = new Set(await peersRepresenting(db, to))
  return publish(env, push, (peer) => (peerIds.has(peer.id) ? to : undefined))
}
