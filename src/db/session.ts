import { database, type Database } from './client'

/** A read-only view of D1 that may be served by the nearest read replica (DESIGN "Serving globally"). */
export interface ReadSession {
  db: Database
  /** The latest bookmark of this session: a later session opened with it reads a state at least this new. */
  bookmark(): string | undefined
}

/**
 * Opens a D1 session for OCPI reads: `first-unconstrained` on a first page, or continuing from the bookmark a paging
 * cursor carried, so every page of one sync sees a state at least as new as the page before.
 */
export function openReadSession(d1: D1Database, bookmark?: string): ReadSession {
  let session: D1DatabaseSession
  try {
    session = d1.withSession(bookmark ?? 'first-unconstrained')
  } catch {
    // A bookmark this database cannot resume (e.g. from before a restore): the newest state is always acceptable.
    session = d1.withSession('first-primary')
  }
  return { db: database(session), bookmark: () => session.getBookmark() ?? undefined }
}
