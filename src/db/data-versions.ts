import { eq } from 'drizzle-orm'
import type { Database } from './client'
import { Memo } from './memo'
import { dataVersions } from './schema'

// The data version of each paged table (migrations/0320_data_versions.sql): one small read gives them all, remembered
// per isolate within the memo staleness, so a hot request learns whether anything changed without a round trip.

const remembered = new Memo<ReadonlyMap<string, number>>(1, 'data')

/** Every table's data version, as remembered on this isolate (at most the memo staleness old). */
export function currentDataVersions(db: Database): Promise<ReadonlyMap<string, number>> {
  return remembered.get('all', async () => new Map((await db.select().from(dataVersions)).map((row) => [row.scope, row.version])))
}

/**
 * One token naming the versions of every table in `scopes`, e.g. `tariffs:12,locations:40`: what a remembered fact
 * about a query reading those tables is valid for. Undefined when a table has no data version (nothing is remembered).
 */
export async function dataVersionToken(db: Database, scopes: readonly string[]): Promise<string | undefined> {
  const versions = await currentDataVersions(db)
  const parts: string[] = []
  for (const scope of scopes) {
    const version = versions.get(scope)
    if (version === undefined) return undefined
    parts.push(`${scope}:${version}`)
  }
  return parts.join(',')
}

/** The data version of one table read from D1 now, never remembered (e.g. the fingerprint of a feed snapshot). */
export async function readDataVersion(db: Database, scope: string): Promise<number> {
  const [row] = await db.select({ version: dataVersions.version }).from(dataVersions).where(eq(dataVersions.scope, scope))
  return row?.version ?? 0
}
