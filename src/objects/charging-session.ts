import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'

/** One instance per charging session: live state, charging limits, meter values. Filled in by the sessions work. */
export class ChargingSession extends DurableObject<Env> {}
