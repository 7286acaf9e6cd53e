import type { Env } from '../env'

/** Management routes: `c.var.db` is typed by src/db/client.ts. */
export type AdminEnv = { Bindings: Env }
