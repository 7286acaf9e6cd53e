import type { Database } from '../../db/client'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import type { PageQuery } from '../../ocpi/paging'
import { publish } from '../../push/publish'
import type { PushAudience } from '../../push/types'
import { isTokenTypeIn221, tokenToWire } from '../tokens/schema'
import { listOwnTokensOfParty } from '../tokens/store'

const PAGE = 500

/** Every connected CPO (or hub) peer, addressed to its CPO party: the same audience as an owner's token write. */
const cpoAudience: PushAudience = (peer) => {
  const role = peer.roles.find((candidate) => candidate.role === 'CPO') ?? peer.roles.find((candidate) => candidate.role === 'HUB')
  return role ? { country_code: role.country_code, party_id: role.party_id } : undefined
}

/**
 * The new platform pushes every token of the taken-over party (PUT, as an owner write would) to its CPO peers, through
 * the peer outboxes. Returns the peers that got at least one push.
 */
export async function repushTokensOfParty(env: Env, db: Database, party: PartyRef): Promise<string[]> {
  const recipients = new Set<string>()
  let page: PageQuery = { offset: 0, limit: PAGE }
  for (;;) {
    const found = await listOwnTokensOfParty(db, party, page)
    for (const { token, allowed_countries } of found.objects) {
      const path = [token.country_code, token.party_id, token.uid]
      const queuedFor = await publish(env, {
        module: 'tokens',
        method: 'PUT',
        path,
        query: { type: token.type },
        bodies: { '2.3.0': tokenToWire('2.3.0', token, allowed_countries), ...(isTokenTypeIn221(token.type) ? { '2.2.1': tokenToWire('2.2.1', token) } : {}) },
        from: { country_code: token.country_code, party_id: token.party_id },
        // The same key as the tokens module's own pushes, so a later owner write of the token queues behind this one.
        objectKey: `tokens/${path.join('/')}/${token.type}`.toUpperCase(),
      }, cpoAudience)
      queuedFor.forEach((peerId) => recipients.add(peerId))
    }
    if (!found.last || found.objects.length < PAGE) return [...recipients]
    page = { offset: page.offset + found.objects.length, limit: PAGE, after: found.last }
  }
}
