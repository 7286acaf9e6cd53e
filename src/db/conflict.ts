import { OcpiError } from '../ocpi/errors'

// D1 has no interactive transactions: a read-modify-write lands only on the revision it read (compare-and-swap), and a
// writer that lost the race reads again. These are the rules for that loop and for what the caller sees when it gives up.

/** Compare-and-swap rounds before a write gives up. Each lost round means another writer committed in between. */
export const CAS_ATTEMPTS = 64
/** Upper bound of the random wait after the n-th lost round: spreads writers that would otherwise retry in step. */
const maxWaitMs = (attempt: number) => Math.min(20, attempt)

/**
 * The object kept changing under every attempt (or D1 refused the write as a constraint conflict). Not a server fault:
 * the management API answers HTTP 409, OCPI answers 3000 in HTTP 200 so the sending peer retries later.
 */
export class WriteConflict extends OcpiError {
  constructor(what: string) {
    super(3000, `${what} is being changed concurrently; try again`)
  }
}

/** Runs `attempt` until it returns a result (not undefined); waits a little between rounds; WriteConflict after the last. */
export async function retryOnConflict<T>(what: string, attempt: () => Promise<T | undefined>): Promise<T> {
  for (let round = 0; round < CAS_ATTEMPTS; round++) {
    const result = await attempt()
    if (result !== undefined) return result
    await new Promise((resolve) => setTimeout(resolve, Math.random() * maxWaitMs(round)))
  }
  throw new WriteConflict(what)
}

/** A D1/SQLite error that means another writer got there first (a unique key taken, the database busy). */
export function isWriteConflict(error: unknown): boolean {
  if (error instanceof WriteConflict) return true
  const messages = [error instanceof Error ? error.message : '', error instanceof Error && error.cause instanceof Error ? error.cause.message : '']
  return messages.some((message) => /UNIQUE constraint failed|PRIMARY KEY constraint failed|SQLITE_BUSY|database is locked/i.test(message))
}
