import { PartyParam } from '../../admin/party-param'
import { SourceParam } from '../../admin/source-param'
import type { Context } from 'hono'
import { z } from 'zod'
import type { RecordListFilter } from '../../db/token-records'
import { parseWith } from '../../ocpi/body'
import { parsePageQuery, type PageQuery } from '../../ocpi/paging'

const ListQuery = z.object({
  source: SourceParam.default({ source: 'own' }),
  /** The CPO that owns the records. */
  party: PartyParam.optional(),
  /** The eMSP whose tokens the records concern. */
  token_party: PartyParam.optional(),
  token_uid: z.string().min(1).max(36).optional(),
  peer_id: z.string().min(1).optional(),
})

/**
 * GET /admin/v1/{sessions|cdrs}?source=own|received|{peer_id}&party=CC*PID&token_party=CC*PID&token_uid=&peer_id=&date_from=
 * &date_to=&limit=&offset=: the filter and page one management list asks for.
 */
export function parseRecordListQuery(c: Context): { filter: RecordListFilter; page: PageQuery } {
  const query = parseWith(ListQuery, c.req.query())
  return {
    filter: {
      source: query.source.source,
      owners: query.party && [query.party],
      tokenParties: query.token_party && [query.token_party],
      token_uid: query.token_uid,
      peerId: query.source.peerId ?? query.peer_id,
    },
    page: parsePageQuery(c),
  }
}

export const AdminSource = z.object({ source: z.enum(['own', 'received']).default('own') })
