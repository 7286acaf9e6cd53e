import { env } from 'cloudflare:workers'

// Helpers for tests that replay a migration on data in the shapes before it. Storage is isolated per test, so the
// tables such a test rebuilds are its own.

/** The statements of the migration whose file name starts with `prefix` (e.g. `0250_`). */
export const migration = (prefix: string) => {
  const found = env.MIGRATIONS.find((entry) => entry.name.startsWith(prefix))
  if (!found) throw new Error(`no migration ${prefix}`)
  return found.queries
}

/** Runs the statements one by one, in order. */
export const run = async (queries: string[]) => {
  for (const query of queries) await env.DB.prepare(query).run()
}

export const rows = async (sql: string) => (await env.DB.prepare(sql).all<Record<string, unknown>>()).results
