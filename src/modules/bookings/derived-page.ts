import type { Page, PageQuery } from '../../ocpi/paging'
import { toEpochMs } from '../../ocpi/types'

/**
 * One page of objects computed per request rather than read from a table: `date_from` inclusive, `date_to` exclusive
 * on last_updated (transport_and_format, "Paginated Request"), ordered by last_updated then id, offset-paged.
 */
export function pageOfDerived<T extends { id: string; last_updated: string }>(all: readonly T[], query: PageQuery): Page<T> {
  const matching = all
    .filter((object) => (query.date_from === undefined || toEpochMs(object.last_updated) >= query.date_from)
      && (query.date_to === undefined || toEpochMs(object.last_updated) < query.date_to))
    .sort((a, b) => toEpochMs(a.last_updated) - toEpochMs(b.last_updated) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { objects: matching.slice(query.offset, query.offset + query.limit), total: matching.length }
}
