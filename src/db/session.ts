import { database, type Database } from './client'
import { d1For, type ShardKey, type ShardSettings } from './shards'

/** A read-only view of D1 that may be served by the nearest read replica (DESIGN "Serving globally"). */
export interface ReadSession {
  db: Database
  /** The latest bookmark of this session: a later session opened with it reads a state at least this new. */
  bookmark(): string | undefined
}

/**
 * Opens a D1 session for OCPI reads on the shard of `key` (platform data when absent): `first-unconstrained` on a
 * first page, or continuing from the bookmark a paging cursor carried, so every page of one sync sees a state at least
 * as new as the page before. A bookmark belongs to one database: a cursor must come back to the same shard.
 */
export function openReadSession(env: ShardSettings, bookmark?: string, key: ShardKey = 'platform'): ReadSession {
  // Opened on first use: a request answered from memory (a hot page) runs no query, and a session and its query
  // builder per request were garbage the isolate had to collect (docs/architecture.md, "Hot paths and memos").
  let session: D1DatabaseSession | undefined
  let db: Database | undefined
  const real = () => (db ??= database((session = startSession(d1For(env, key), bookmark))))
  return { db: lazyDatabase(real), bookmark: () => (session ? (session.getBookmark() ?? undefined) : bookmark) }
}

/**
 * A Database that is built when a query is first made through it: the stores take a Database and read through their
 * memos, so a request whose reads all hit memos never touches it. Methods run bound to the real one.
 */
function lazyDatabase(real: () => Database): Database {
  return new Proxy({} as Database, {
    get(_, property) {
      const target = real()
      const value: unknown = Reflect.get(target, property)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

function startSession(d1: D1Database, bookmark: string | undefined): D1DatabaseSession {
  try {
    return d1.withSession(bookmark ?? 'first-unconstrained')
  } catch {
    // A bookmark this database cannot resume (e.g. from before a restore): the newest state is always acceptable.
    return d1.withSession('first-primary')
  }
}
