import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

// Stores select their database through one function (docs/sharding.md): `databaseFor(env, shardKey)` or its read
// twin `openReadSession(env, bookmark, shardKey)` in src/db. No file outside src/db names a D1 binding, so where a
// party's objects live is decided in one place and a party can move to another shard without its callers knowing.

const srcRoot = resolve(__dirname, '../../src')

/** Ways to name a D1 binding of the Worker's env: `env.DB`, `c.env.DB`, `env['DB']`, `env.DB_SHARD_1`... */
const NAMES_BINDING = /\.DB(?:_\w+)?\b|\[\s*['"`]DB(?:_\w+)?['"`]\s*\]|\{[^}]*\bDB\b[^}]*\}\s*=\s*(?:c\.)?env\b/

export function bindingUses(path: string, source: string): string[] {
  return source.split('\n').flatMap((line, index) => (NAMES_BINDING.test(line) ? [`${path}:${index + 1}: ${line.trim()}`] : []))
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

describe('the database through one function', () => {
  it('no file outside src/db names a D1 binding', () => {
    const files = sourceFiles(srcRoot).map((file) => ({ path: relative(srcRoot, file), source: readFileSync(file, 'utf8') }))
    expect(files.filter(({ path }) => !path.startsWith('db/')).flatMap(({ path, source }) => bindingUses(path, source))).toEqual([])
  })

  it('recognises each way of naming the binding', () => {
    expect(bindingUses('x.ts', 'const db = database(env.DB)')).toHaveLength(1)
    expect(bindingUses('x.ts', 'openReadSession(c.env.DB, bookmark)')).toHaveLength(1)
    expect(bindingUses('x.ts', "const d1 = env['DB']")).toHaveLength(1)
    expect(bindingUses('x.ts', 'const d1 = this.env.DB_SHARD_1')).toHaveLength(1)
    expect(bindingUses('x.ts', 'const { DB } = env')).toHaveLength(1)
    expect(bindingUses('x.ts', 'const db = databaseFor(env, party)')).toEqual([])
    expect(bindingUses('x.ts', 'const reply = await fetchDB()')).toEqual([])
  })
})
