import type { Env } from '../env'

/** Management routes: `c.get('db')` is typed by src/db/client.ts. */
export type AdminEnv = { Bindings: Env }
