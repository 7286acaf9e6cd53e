// Direct access to the SQLite file behind a local (`--persist-to`) D1, for bulk seeding while no wrangler runs on it.
// Loading a million rows through `wrangler d1 execute --file` takes minutes; the same rows written with prepared
// statements in one transaction take seconds, and land in exactly the tables the migrations created.
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'

export async function openLocalD1(persistTo) {
  const dir = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject')
  const files = (await readdir(dir)).filter((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite')
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.length}`)
  const { DatabaseSync } = await import('node:sqlite') // loaded on use: node:sqlite still prints an experimental warning
  return new DatabaseSync(join(dir, files[0]))
}

/** Inserts rows (objects keyed by column) into table in one transaction with one prepared statement. */
export function insertRows(db, table, rows) {
  const iterator = rows[Symbol.iterator]()
  let first = iterator.next()
  if (first.done) return 0
  const columns = Object.keys(first.value)
  const statement = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
  let count = 0
  db.exec('BEGIN')
  try {
    for (let next = first; !next.done; next = iterator.next()) {
      statement.run(...columns.map((column) => next.value[column] ?? null))
      count++
    }
    db.exec('COMMIT')
  } catch (error) {
    db.exec('ROLLBACK')
    throw error
  }
  return count
}

/** Column names of a table, to check that a seeder still matches the migrations. */
export function columnsOf(db, table) {
  return db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all().map((row) => row.name)
}
