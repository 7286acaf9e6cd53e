import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

// SQL lives only in stores (docs/architecture.md, "Stores"). A store is
// - any file under src/db/ (the client, the table schemas and the query helpers stores share), or
// - a file named `store.ts` or `*-store.ts` directly in src/peers/ or in a module folder src/modules/<module>/.
// Every other file reaches the database only by calling a store: it imports no value from drizzle-orm (no query
// builder, no `sql`) and no table from the schema (types such as a row's or a column's are fine), and it runs no raw
// D1 statement. A Durable Object's own SQLite storage (`ctx.storage.sql`) is that object's private state, not D1.

const srcRoot = resolve(__dirname, '../../src')

// Files that still hold SQL, each with the reason. Keep this list short and shrinking.
const KNOWN_EXCEPTIONS: ReadonlyMap<string, string> = new Map([])

export function isStore(path: string): boolean {
  const parts = path.split('/')
  const name = parts.at(-1) ?? ''
  const storeName = name === 'store.ts' || name.endsWith('-store.ts')
  return parts[0] === 'db' || (parts[0] === 'peers' && parts.length === 2 && storeName) || (parts[0] === 'modules' && parts.length === 3 && storeName)
}

const DATA_ACCESS = /^drizzle-orm(?:\/.*)?$|(?:^|\/)db\/schema(?:\/[\w-]+)?$/

/** What one file imports as values (not type-only) from drizzle-orm or the db schema, and raw D1 statements it runs. */
export function sqlOutsideStores(path: string, source: string): string[] {
  const found: string[] = []
  const imports = /(?:^|[\s;])import\s+(type\s+)?([^'";]*?)\s+from\s+['"]([^'"]+)['"]/g
  for (const [, typeOnly, clause = '', specifier = ''] of source.matchAll(imports)) {
    if (typeOnly || !DATA_ACCESS.test(specifier)) continue
    const named = /\{([^}]*)\}/.exec(clause)?.[1]
    const values = named === undefined
      ? [clause.trim()]
      : named.split(',').map((name) => name.trim()).filter((name) => name && !name.startsWith('type '))
    if (values.length > 0) found.push(`${path} imports ${values.join(', ')} from ${specifier}`)
  }
  if (/\.prepare\(/.test(source)) found.push(`${path} runs a raw D1 statement`)
  return found
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

describe('SQL behind stores', () => {
  const files = sourceFiles(srcRoot).map((file) => ({ path: relative(srcRoot, file), source: readFileSync(file, 'utf8') }))

  it('no file but a store imports query builders or tables', () => {
    const outside = files.filter(({ path }) => !isStore(path) && !KNOWN_EXCEPTIONS.has(path))
    expect(outside.flatMap(({ path, source }) => sqlOutsideStores(path, source))).toEqual([])
  })

  it('still needs every known exception', () => {
    const needed = files.filter(({ path, source }) => KNOWN_EXCEPTIONS.has(path) && sqlOutsideStores(path, source).length > 0)
    expect([...KNOWN_EXCEPTIONS.keys()].filter((path) => !needed.some((file) => file.path === path))).toEqual([])
  })

  it('tells stores from other files', () => {
    expect(['db/paging.ts', 'db/schema/tokens.ts', 'peers/store.ts', 'peers/client-info-store.ts', 'modules/tokens/store.ts', 'modules/tokens/authorization-store.ts'].filter(isStore))
      .toHaveLength(6)
    expect(['peers/parties.ts', 'modules/tokens/authorize.ts', 'modules/tokens/stores/x.ts', 'push/store.ts', 'app/store.ts', 'modules/x-store.ts'].filter(isStore)).toEqual([])
  })

  it('catches query builders and tables, not types', () => {
    const source = [
      "import { and, eq, type SQL } from 'drizzle-orm'",
      "import type { SQL as Fragment } from 'drizzle-orm'",
      "import { parties, type CredentialsRole } from '../db/schema'",
      "import type { Endpoint } from '../../db/schema'",
      "import { type AccountStatus } from '../../db/schema/tokens'",
      "import * as schema from '../db/schema'",
      "import { runBatch } from '../db/batch'",
      'await env.DB.prepare(`SELECT 1`).run()',
    ].join('\n')
    expect(sqlOutsideStores('modules/a/b.ts', source)).toEqual([
      'modules/a/b.ts imports and, eq from drizzle-orm',
      'modules/a/b.ts imports parties from ../db/schema',
      'modules/a/b.ts imports * as schema from ../db/schema',
      'modules/a/b.ts runs a raw D1 statement',
    ])
  })
})
