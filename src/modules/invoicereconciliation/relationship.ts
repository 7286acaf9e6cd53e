import type { PartyRef } from '../../ocpi/context'
import type { CdrRelationship } from '../cdrs/settlement-store'
import type { Billing, StoredRecord } from './store'

// mod_invoice_reconciliation, "Flow and Lifecycle": in direct billing the CPO invoices the MSP, in reverse billing the
// MSP sends credit invoices to the CPO; "the very same technical OCPI interface can be used for both scenarios". The
// record names only its owner, so which CDRs it is about follows from the billing direction and the counterparty.

/** Roles a party plays, as far as billing goes. */
export interface BillingRoles { cpo: boolean; emsp: boolean }

/**
 * The direction of a record from its owner's roles: DIRECT when it is a CPO and not an MSP, REVERSE when the
 * opposite. A party that is both (or a hub) is decided by the counterparty's roles, and else taken as DIRECT, the
 * usual case.
 */
export function billingOf(owner: BillingRoles, counterparty?: BillingRoles): Billing {
  if (owner.cpo !== owner.emsp) return owner.cpo ? 'DIRECT' : 'REVERSE'
  if (counterparty && counterparty.cpo !== counterparty.emsp) return counterparty.emsp ? 'DIRECT' : 'REVERSE'
  return 'DIRECT'
}

/**
 * The CDRs a record is about, as this platform holds them: its owner's CDRs (DIRECT) or those of its owner's tokens
 * (REVERSE), with the counterparty on the other side when known. This platform is the CPO, and so holds them as
 * its own, when it issued a direct-billing record or received a reverse-billing one.
 */
export function cdrRelationship({ record, holder, billing, counterparty }: Pick<StoredRecord, 'record' | 'holder' | 'billing' | 'counterparty'>): CdrRelationship {
  const owner: PartyRef = { country_code: record.country_code, party_id: record.party_id }
  const source = (holder === 'own') === (billing === 'DIRECT') ? 'own' : 'received'
  const other = counterparty ?? undefined
  return billing === 'DIRECT' ? { source, cpo: owner, emsp: other } : { source, cpo: other, emsp: owner }
}
