import type { Env } from '../../env'

/** Command ids are random UUIDs: a response_url cannot be guessed, and anything else is unknown without a lookup. */
export const isCommandId = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)

export const newCommandId = () => crypto.randomUUID()

/** The CommandTracker of one command. */
export const commandTracker = (env: Env, id: string) => env.COMMAND_TRACKER.get(env.COMMAND_TRACKER.idFromName(id))
