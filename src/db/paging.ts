import { and, asc, count, gt, gte, lt, or, eq, type SQL } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { Database } from './client'
import type { Page, PageQuery } from '../ocpi/paging'

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

/** A table holding one object per row, with the paging columns. */
export type ObjectTable = SQLiteTable & PagedColumns & { object: SQLiteColumn }

/** One page of a table's objects matching `where` (and the page's dates), and their total, in one round trip. */
export async function objectPage<T>(db: Database, table: ObjectTable, where: SQL | undefined, page: PageQuery): Promise<Page<T>> {
  const matching = and(where, dateRange(table, page))
  const [rows, [counted]] = await db.batch([
    db.select({ key: table.key, last_updated: table.last_updated, object: table.object }).from(table)
      .where(and(matching, afterPosition(table, page))).orderBy(...pageOrder(table)).limit(page.limit).offset(pageOffset(page)),
    db.select({ total: count() }).from(table).where(matching),
  ])
  return pageFrom(rows as { key: string; last_updated: number; object: T }[], counted?.total ?? 0, (row) => row.object)
}
