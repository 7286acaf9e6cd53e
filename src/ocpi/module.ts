import type { Context, Hono } from 'hono'
import type { Env } from '../env'
import type { OcpiEnv } from './context'
import type { OcpiVersion } from './versions'

/**
 * One OCPI module (or `x-` extension). The list in src/app/modules.ts drives both the routes and
 * /ocpi/{version}/details, so details lists exactly what is mounted.
 */
export interface OcpiModule {
  /** ModuleID as in version_information_endpoint, or `x-...` for extensions. */
  id: string
  /** Versions the module is served in; default: all supported. */
  versions?: readonly OcpiVersion[]
  /** Interface implemented by the data owner (peers pull from it). */
  sender?: Hono<OcpiEnv>
  /** When given, the sender is listed and served only while this holds (e.g. hubclientinfo: only a hosted HUB). */
  senderOffered?: (c: Context<OcpiEnv>) => Promise<boolean>
  /** Interface implemented by the receiver of data (peers push to it). */
  receiver?: Hono<OcpiEnv>
  /** Management routes, mounted under /admin/v1. */
  admin?: Hono<{ Bindings: Env }>
}

export const interfacePath = (module: Pick<OcpiModule, 'id'>, role: 'SENDER' | 'RECEIVER') => `${role.toLowerCase()}/${module.id}`
