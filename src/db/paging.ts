import { and, asc, count, gt, gte, lt, or, eq, type SQL } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { BatchItem } from 'drizzle-orm/batch'
import type { Database } from './client'
import { dataVersionToken } from './data-versions'
import { BoundedMap } from './memo'
import type { KeysetPosition, Page, PageQuery } from '../ocpi/paging'
import { toHex } from '../ocpi/urls'

/** The two columns every paged table orders by: last_updated (epoch ms) then a unique key. */
export interface PagedColumns { last_updated: SQLiteColumn; key: SQLiteColumn }

/** date_from inclusive, date_to exclusive: the filter X-Total-Count counts. */
export function dateRange(columns: PagedColumns, page: PageQuery): SQL | undefined {
  return and(
    page.date_from !== undefined ? gte(columns.last_updated, page.date_from) : undefined,
    page.date_to !== undefined ? lt(columns.last_updated, page.date_to) : undefined,
  )
}

/**
 * Strictly after the cursor position in (last_updated, key) order. The leading `last_updated >=` is implied by the OR
 * but not redundant: with bound parameters SQLite does not seek an index on the OR alone and walks it from the start,
 * so the query for a page 99,000 rows deep took 80 times as long as the first page's; with it, it starts with a seek.
 */
export function afterPosition(columns: PagedColumns, page: PageQuery): SQL | undefined {
  if (!page.after) return undefined
  return and(
    gte(columns.last_updated, page.after.last_updated),
    or(gt(columns.last_updated, page.after.last_updated), and(eq(columns.last_updated, page.after.last_updated), gt(columns.key, page.after.key))),
  )
}

export const pageOrder = (columns: PagedColumns) => [asc(columns.last_updated), asc(columns.key)]

/** Offset applies only without a cursor; with one the keyset condition already positions the page. */
export const pageOffset = (page: PageQuery) => (page.after ? 0 : page.offset)

/** A page from its rows in keyset order and the filter's total; the last row's position feeds the Link cursor. */
export function pageFrom<Row extends { last_updated: number; key: string }, T>(rows: Row[], total: number, toObject: (row: Row) => T): Page<T> {
  const last = rows.at(-1)
  return { objects: rows.map(toObject), total, last: last && { last_updated: last.last_updated, key: last.key } }
}

// ---- what one isolate remembers about a filter, exact for the data versions of the tables it reads ----
//
// X-Total-Count is the same for every page of one sync and is most of a page's cost on a large table (counting 10^6
// index entries per page), and a peer paging by plain `offset` would make SQLite walk past every earlier row. Both are
// remembered per isolate under a digest of the count query (the filter, its parameters: what the peer may see, the
// dates) and the data versions of the tables it reads (src/db/data-versions.ts): a write to any of them changes the
// key, so nothing remembered outlives the data it describes (beyond the memo staleness of the versions themselves).

const totals = new BoundedMap<number>(1_000)
/** (filter, offset) -> the position the page ending at that offset ended at: where the next offset page starts. */
const offsetPositions = new BoundedMap<KeysetPosition>(10_000)

type RunnableRows<Row> = BatchItem<'sqlite'> & PromiseLike<Row[]>
type CountQuery = BatchItem<'sqlite'> & PromiseLike<{ total: number }[]> & { toSQL(): { sql: string; params: unknown[] } }

export interface PageQueries<Row> {
  /** The page's rows for a page query: its keyset position (`afterPosition`) and offset (`pageOffset`) applied. */
  rows: (page: PageQuery) => RunnableRows<Row>
  /** The filter's total: the rows' filter without position or limit. */
  count: CountQuery
  /** The tables the filter reads (their data versions key what is remembered); none: nothing is remembered. */
  scopes?: readonly string[]
}

/**
 * The rows of one page and the filter's total, remembering both per filter and data version: a second page of a sync
 * makes no COUNT query, and a plain `offset` page that follows a page this isolate served starts at that page's last
 * position with an index seek (offset semantics exactly: the data versions are unchanged, so the rows are the same).
 */
export async function runPage<Row extends KeysetPosition>(db: Database, page: PageQuery, queries: PageQueries<Row>): Promise<{ rows: Row[]; total: number }> {
  const version = queries.scopes ? await dataVersionToken(db, queries.scopes) : undefined
  if (version === undefined) return countedPage(db, queries.rows(page), queries.count)
  const { sql: countSql, params } = queries.count.toSQL()
  const filter = await digest(JSON.stringify([version, countSql, params]))
  const resumed = !page.after && page.offset > 0 ? offsetPositions.get(`${filter}@${page.offset}`) : undefined
  const rowsQuery = queries.rows(resumed ? { ...page, after: resumed } : page)
  const known = totals.get(filter)
  const { rows, total } = known === undefined ? await countedPage(db, rowsQuery, queries.count) : { rows: await rowsQuery, total: known }
  totals.set(filter, total)
  const last = rows.at(-1)
  if (!page.after && last) offsetPositions.set(`${filter}@${page.offset + rows.length}`, { last_updated: last.last_updated, key: last.key })
  return { rows, total }
}

async function countedPage<Row>(db: Database, rows: RunnableRows<Row>, count: CountQuery): Promise<{ rows: Row[]; total: number }> {
  const [found, [counted]] = (await db.batch([rows, count])) as [Row[], { total: number }[]]
  return { rows: found, total: counted?.total ?? 0 }
}

async function digest(material: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(material)))
}

/** A table holding one object per row, with the paging columns. */
export type ObjectTable = SQLiteTable & PagedColumns & { object: SQLiteColumn }

/**
 * One page of a table's objects matching `where` (and the page's dates), and their total, in one round trip or, with
 * `scopes` (the tables `where` reads), remembered per data version (runPage).
 */
export async function objectPage<T>(db: Database, table: ObjectTable, where: SQL | undefined, page: PageQuery, scopes?: readonly string[]): Promise<Page<T>> {
  const matching = and(where, dateRange(table, page))
  // The table is generic: its columns select as unknown, so the row type is stated.
  const { rows, total } = await runPage<{ key: string; last_updated: number; object: T }>(db, page, {
    rows: (at) => db.select({ key: table.key, last_updated: table.last_updated, object: table.object }).from(table)
      .where(and(matching, afterPosition(table, at))).orderBy(...pageOrder(table)).limit(at.limit).offset(pageOffset(at)) as never,
    count: db.select({ total: count() }).from(table).where(matching),
    scopes,
  })
  return pageFrom(rows, total, (row) => row.object)
}
