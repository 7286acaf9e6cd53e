import type { Database } from '../../db/client'
import { recordAuthorizations, type NewAuthorizationEntry, type TimedAuthorizationEntry } from './authorization-store'

// Every authorization decision is recorded (B3.1), but not on the response path: the charge point waits for the
// answer, and on Cloudflare each write is a round trip to the D1 primary, wherever the Worker runs. Decisions are
// queued in the isolate and written together FLUSH_AFTER_MS later, one D1 batch per database; the request that opened
// the queue keeps the isolate alive for it (waitUntil). Each entry keeps the time of its decision, so the log's order
// is the decisions' order. Reads of the log on this isolate write the queue first; another isolate sees an entry at
// most FLUSH_AFTER_MS plus one write later (docs/tokens.md, "Authorization log").

/** How long a decision waits for others to share its write. */
export const FLUSH_AFTER_MS = 20
/** Decisions per D1 batch, at most. */
const MAX_BATCH = 50

const queued = new Map<Database, TimedAuthorizationEntry[]>()
/** The write the queue waits for, once a decision has opened it. */
let scheduled: Promise<void> | undefined
/** Writes under way (a request that reads the log waits for them; workerd resumes it in its own context). */
const writing = new Set<Promise<void>>()

/**
 * Queues a decision to be recorded shortly. `keepAlive` is the request's waitUntil: it is called with the write when
 * this decision opens the queue, so the runtime keeps the isolate's work alive until it is done.
 */
export function recordAuthorizationSoon(db: Database, entry: NewAuthorizationEntry, keepAlive: (work: Promise<unknown>) => void, at = Date.now()): void {
  let decisions = queued.get(db)
  if (!decisions) queued.set(db, (decisions = []))
  decisions.push({ entry, at })
  if (scheduled) return
  scheduled = new Promise<void>((resolve) => setTimeout(resolve, FLUSH_AFTER_MS)).then(() => {
    scheduled = undefined
    return writeQueued()
  })
  keepAlive(scheduled)
}

/** Writes whatever is queued now and waits for the writes under way: what a read of the log on this isolate does first. */
export async function flushAuthorizationLog(): Promise<void> {
  await Promise.all([writeQueued(), ...writing])
}

function writeQueued(): Promise<void> {
  const batches = [...queued]
  queued.clear()
  const write = Promise.all(batches.map(async ([db, decisions]) => {
    for (let start = 0; start < decisions.length; start += MAX_BATCH) await recordAuthorizations(db, decisions.slice(start, start + MAX_BATCH))
  })).then(() => undefined)
  writing.add(write)
  void write.finally(() => writing.delete(write))
  return write
}
