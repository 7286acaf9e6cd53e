import type { Env } from '../env'
import type { Database } from '../db/client'

export type AdminEnv = { Bindings: Env; Variables: { db: Database } }
