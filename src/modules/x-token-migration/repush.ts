import type { Database } from '../../db/client'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import type { PageQuery } from '../../ocpi/paging'
import { publishTokenPut } from '../tokens/push'
import { listOwnTokensOfParty } from '../tokens/store'

const PAGE = 500

/**
 * The new platform pushes every token of the taken-over party to its CPO peers, as an owner's PUT would (same
 * audience, same outbox keys). Returns the peers that got at least one push.
 */
export async function repushTokensOfParty(env: Env, db: Database, party: PartyRef): Promise<string[]> {
  const recipients = new Set<string>()
  let page: PageQuery = { offset: 0, limit: PAGE }
  for (;;) {
    const found = await listOwnTokensOfParty(db, party, page)
    for (const { token, allowed_countries } of found.objects) {
      for (const peerId of await publishTokenPut(env, token, allowed_countries)) recipients.add(peerId)
    }
    if (!found.last || found.objects.length < PAGE) return [...recipients]
    page = { offset: page.offset + found.objects.length, limit: PAGE, after: found.last }
  }
}
