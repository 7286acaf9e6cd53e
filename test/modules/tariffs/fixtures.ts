import { env } from 'cloudflare:workers'
import type { Endpoint } from '../../../src/db/schema'
import { peerOutbox } from '../../../src/push/publish'
import { invalidatePushPeers } from '../../../src/push/publish'
import type { Role } from '../../../src/ocpi/types'
import { insertPeer } from '../../push/fixtures'
import { adminFetch } from '../../ocpi/fixtures'
import { uniquePartyId } from '../../party-ids'

/** A three-character party id no other test uses. */
export const uniqueParty = (country_code = 'NL') => ({ country_code, party_id: uniquePartyId() })

export async function hostParty(role: Role, country_code = 'NL') {
  const party = uniqueParty(country_code)
  const response = await adminFetch('/parties', { method: 'POST', body: { ...party, role, business_details: { name: `Test ${role}` } } })
  if (response.status !== 201) throw new Error(`hosting ${party.party_id}: ${response.status} ${await response.text()}`)
  return party
}

/**
 * A connected peer whose pushes stay queued (no token to present, so the outbox holds them), so a test can read
 * exactly what was published to it.
 */
export async function holdingPeer(options: {
  roles: Array<{ role: Role; country_code: string; party_id: string }>; receivers: string[]; version?: '2.2.1' | '2.3.0'; extensions?: string[]
}) {
  const endpoints: Endpoint[] = options.receivers.map((identifier) => ({ identifier, role: 'RECEIVER', url: `https://peer.example.com/${identifier}` }))
  const peer = await insertPeer({
    outbound_token: null, endpoints, version: options.version ?? '2.3.0', extensions: options.extensions ?? [],
    roles: options.roles.map((role) => ({ ...role, business_details: { name: role.party_id } })),
  })
  invalidatePushPeers()
  return { ...peer, queued: () => peerOutbox(env, peer.id).list(), purge: () => peerOutbox(env, peer.id).purge() }
}

export function tariffBody(fields: Record<string, unknown> = {}) {
  return {
    currency: 'EUR',
    type: 'REGULAR',
    elements: [{ price_components: [{ type: 'ENERGY', price: 0.35, vat: 21, step_size: 1 }] }],
    tax_included: 'NO',
    ...fields,
  }
}

export const json = async <T = any>(response: Response): Promise<T> => (await response.json()) as T
