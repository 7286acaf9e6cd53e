import type { Database } from '../../db/client'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import type { PageQuery } from '../../ocpi/paging'
import { publishTokenPut } from '../tokens/push'
import { listOwnTokensOfParty } from '../tokens/store'

// Each token is one outbox call per CPO peer, and one job step (an alarm) may make only so many subrequests.
export const REPUSH_PAGE_SIZE = 100

/**
 * The new platform pushes the tokens of the taken-over party to its CPO peers, as an owner's PUT would (same
 * audience, same outbox keys): one page per call, so a party of a million tokens spreads over many job steps.
 * Returns how many tokens it pushed, the peers that got at least one push, and the next page (none after the last).
 */
export async function repushTokenPage(env: Env, db: Database, party: PartyRef, page: PageQuery): Promise<{ pushed: number; recipients: string[]; next?: PageQuery }> {
  const recipients = new Set<string>()
  const found = await listOwnTokensOfParty(db, party, page)
  for (const { token, allowed_countries } of found.objects) {
    for (const peerId of await publishTokenPut(env, token, allowed_countries)) recipients.add(peerId)
  }
  const next = found.last && found.objects.length === page.limit ? { offset: page.offset + found.objects.length, limit: page.limit, after: found.last } : undefined
  return { pushed: found.objects.length, recipients: [...recipients], next }
}
