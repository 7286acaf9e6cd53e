import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1'
import * as schema from './schema'

export type Database = DrizzleD1Database<typeof schema>

// Every request handler (OCPI and management) gets the database as `c.var.db`; declared here so that the transport
// (src/ocpi), which knows nothing of the database, still types it.
declare module 'hono' {
  interface ContextVariableMap { db: Database }
}

export function database(d1: D1Database | D1DatabaseSession): Database {
  return drizzle(d1 as D1Database, { schema })
}
