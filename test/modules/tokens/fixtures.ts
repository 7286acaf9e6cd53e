import { expect } from 'vitest'
import type { CredentialsRole } from '../../../src/db/schema'
import { adminFetch, registeredPeer } from '../../ocpi/fixtures'

/** A party id no other test uses (three alphanumerics). */
export { uniquePartyId } from '../../party-ids'
import { uniquePartyId } from '../../party-ids'

export async function hostParty(role: 'CPO' | 'EMSP', country_code = 'DE') {
  const party = { country_code, party_id: uniquePartyId() }
  const response = await adminFetch('/parties', { method: 'POST', body: { ...party, role, business_details: { name: `${role} ${party.party_id}` } } })
  expect(response.status).toBe(201)
  return party
}

export const roleOf = (role: CredentialsRole['role'], party: { country_code: string; party_id: string }): CredentialsRole => ({ role, ...party, business_details: { name: party.party_id } })

type Peer = Awaited<ReturnType<typeof registeredPeer>>

/** The receiver tests' cast: a hosted eMSP, the peer that is CPO `cpo`, and the peer of another CPO in its country. */
export async function emspWithCpoPeers(cpo: { country_code: string; party_id: string }): Promise<{ emsp: { country_code: string; party_id: string }; cpoPeer: Peer; otherPeer: Peer }> {
  const emsp = await hostParty('EMSP')
  const cpoPeer = await registeredPeer({ roles: [roleOf('CPO', cpo)] })
  const otherPeer = await registeredPeer({ roles: [roleOf('CPO', { country_code: cpo.country_code, party_id: uniquePartyId() })] })
  return { emsp, cpoPeer, otherPeer }
}

/** The sender tests' cast: a hosted CPO in `country_code` and the peers of eMSPs A and B (B on `versionB`). */
export async function cpoWithEmspPeers(country_code: string, emspA: { country_code: string; party_id: string }, emspB: { country_code: string; party_id: string }, versionB?: '2.2.1') {
  const cpo = await hostParty('CPO', country_code)
  const peerA = await registeredPeer({ roles: [roleOf('EMSP', emspA)] })
  const peerB = await registeredPeer({ roles: [roleOf('EMSP', emspB)], ...(versionB ? { version: versionB } : {}) })
  return { cpo, peerA, peerB }
}

export const toHeaders = (party: { country_code: string; party_id: string }) => ({ 'OCPI-to-country-code': party.country_code, 'OCPI-to-party-id': party.party_id })
export const fromHeaders = (party: { country_code: string; party_id: string }) => ({ 'OCPI-from-country-code': party.country_code, 'OCPI-from-party-id': party.party_id })

export function rfidToken(party: { country_code: string; party_id: string }, uid: string, fields: Record<string, unknown> = {}) {
  return {
    country_code: party.country_code, party_id: party.party_id, uid, type: 'RFID', contract_id: `${party.country_code}${party.party_id}C${uid}`.slice(0, 36),
    visual_number: `VN-${uid}`, issuer: 'Test Issuer', valid: true, whitelist: 'ALLOWED', last_updated: '2026-02-01T10:00:00Z', ...fields,
  }
}

/** Owner write through the management API. */
export async function writeOwnToken(token: Record<string, any>, extra: Record<string, unknown> = {}) {
  const response = await adminFetch(`/tokens/${token.country_code}/${token.party_id}/${token.uid}?type=${token.type}`, { method: 'PUT', body: { ...token, ...extra } })
  expect(response.status, await response.clone().text()).toBe(200)
  return response.json<any>()
}
