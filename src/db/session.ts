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
  const d1 = d1For(env, key)
  let session: D1DatabaseSession
  try {
    session = d1.withSession(bookmark ?? 'first-unconstrained')
  } catch {
    // A bookmark this database cannot resume (e.g. from before a restore): the newest state is always acceptable.
    session = d1.withSession('first-primary')
  }
  return { db: database(session), bookmark: () => session.getBookmark() ?? undefined }
}
