import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'

/** One instance per command: async result via response_url and a timeout alarm. Filled in by the commands work. */
export class CommandTracker extends DurableObject<Env> {}
