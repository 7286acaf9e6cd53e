import { env } from 'cloudflare:workers'
import { is } from 'drizzle-orm'
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core'
import { describe, expect, it } from 'vitest'
import * as schema from '../../src/db/schema'

// The drizzle tables (src/db/schema) and the SQL migrations (applied to this D1 by test/apply-migrations.ts) must
// describe the same database: the same tables, columns, types, NOT NULL, primary keys and indexes.

interface ColumnShape { type: string; not_null: boolean; primary_key: number; generated?: 'virtual' | 'stored' }
interface IndexShape { columns: string[]; unique: boolean }
interface TableShape { columns: Record<string, ColumnShape>; indexes: Record<string, IndexShape> }

const tables = (Object.values(schema) as unknown[]).filter((value): value is SQLiteTable => is(value, SQLiteTable))

function fromDrizzle(table: SQLiteTable): TableShape {
  const config = getTableConfig(table)
  const compositeKey = config.primaryKeys[0]?.columns.map((column) => column.name) ?? []
  const columns = Object.fromEntries(config.columns.map((column) => [column.name, {
    type: column.getSQLType().toUpperCase(),
    not_null: column.notNull,
    primary_key: column.primary ? 1 : compositeKey.indexOf(column.name) + 1,
    ...(column.generated ? { generated: column.generated.mode ?? 'virtual' } : {}),
  }]))
  const indexes = Object.fromEntries(config.indexes.map((index) => [index.config.name, {
    columns: index.config.columns.map((column) => (column as { name: string }).name),
    unique: index.config.unique,
  }]))
  return { columns, indexes }
}

async function fromD1(name: string): Promise<TableShape> {
  // table_xinfo also lists generated columns: hidden 2 is VIRTUAL, 3 is STORED.
  const info = await env.DB.prepare('SELECT name, type, "notnull" AS not_null, pk, hidden FROM pragma_table_xinfo(?)').bind(name)
    .all<{ name: string; type: string; not_null: number; pk: number; hidden: number }>()
  const columns = Object.fromEntries(info.results.map((column) => [column.name, {
    type: column.type.toUpperCase(),
    // An INTEGER PRIMARY KEY is the rowid: SQLite never stores NULL there (it assigns the next id), yet reports
    // notnull = 0 unless the column also says NOT NULL.
    not_null: column.not_null === 1 || (column.pk === 1 && column.type.toUpperCase() === 'INTEGER' && info.results.filter((other) => other.pk > 0).length === 1),
    primary_key: column.pk,
    ...(column.hidden === 2 ? { generated: 'virtual' as const } : column.hidden === 3 ? { generated: 'stored' as const } : {}),
  }]))
  const list = await env.DB.prepare(`SELECT name, "unique" AS is_unique, origin FROM pragma_index_list(?) WHERE origin = 'c'`).bind(name)
    .all<{ name: string; is_unique: number }>()
  const indexes: Record<string, IndexShape> = {}
  for (const index of list.results) {
    const parts = await env.DB.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').bind(index.name).all<{ name: string }>()
    indexes[index.name] = { columns: parts.results.map((part) => part.name), unique: index.is_unique === 1 }
  }
  return { columns, indexes }
}

describe('drizzle schema and SQL migrations', () => {
  it('an INTEGER PRIMARY KEY never holds NULL, though SQLite reports it nullable (so audit_log.id counts as NOT NULL)', async () => {
    const column = await env.DB.prepare(`SELECT "notnull" AS not_null FROM pragma_table_info('audit_log') WHERE name = 'id'`).first<{ not_null: number }>()
    expect(column?.not_null).toBe(0)
    const row = await env.DB.prepare(`INSERT INTO audit_log (id, at, actor, action) VALUES (NULL, 0, 'test', 'null id') RETURNING id`).first<{ id: number | null }>()
    expect(row?.id).toEqual(expect.any(Number))
  })

  it('name the same tables', async () => {
    const inD1 = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY name",
    ).all<{ name: string }>()
    expect(tables.map((table) => getTableConfig(table).name).sort()).toEqual(inD1.results.map((row) => row.name))
  })

  it.each(tables.map((table) => [getTableConfig(table).name, table] as const))('%s: same columns, types, NOT NULL, keys and indexes', async (name, table) => {
    expect(fromDrizzle(table)).toEqual(await fromD1(name))
  })
})
