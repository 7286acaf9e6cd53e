import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1'

/** The query builder over D1. Without the relational schema: no code uses `db.query`, and building its config costs ~0.4 ms. */
export type Database = DrizzleD1Database

// Every request handler (OCPI and management) gets the database as `c.get('db')`; declared here so that the transport
// (src/ocpi), which knows nothing of the database, still types it.
declare module 'hono' {
  interface ContextVariableMap { db: Database }
}

// One query builder per binding per isolate: the env's D1 binding is the same object for every request an isolate
// serves, and building drizzle's database object is most of a cheap request's CPU. Sessions are per request.
const builders = new WeakMap<D1Database | D1DatabaseSession, Database>()

export function database(d1: D1Database | D1DatabaseSession): Database {
  let db = builders.get(d1)
  if (!db) builders.set(d1, (db = drizzle(d1 as D1Database)))
  return db
}
