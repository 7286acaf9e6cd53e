import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1'
import * as schema from './schema'

export type Database = DrizzleD1Database<typeof schema>

// Every request handler (OCPI and management) gets the database as `c.var.db`; declared here so that the transport
// (src/ocpi), which knows nothing of the database, still types it.
declare module 'hono' {
  interface ContextVariableMap { db: Database }
}

// drizzle() derives the relational config of the whole schema on every call: a few milliseconds of CPU, more than
// most queries cost on a busy Durable Object. A binding's database is built once per isolate and reused; it holds no
// request state, only the binding. A read session (withSession) is a new object each time, so it gets its own.
const opened = new WeakMap<D1Database | D1DatabaseSession, Database>()

export function database(d1: D1Database | D1DatabaseSession): Database {
  let db = opened.get(d1)
  if (!db) {
    db = drizzle(d1 as D1Database, { schema })
    opened.set(d1, db)
  }
  return db
}
