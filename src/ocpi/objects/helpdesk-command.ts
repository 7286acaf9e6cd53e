import { z } from 'zod'
import { CiString, OcpiString, URL } from '../types'
import type { VersionAdapters } from '../version-adapters'

// x-helpdesk (docs/extensions/x-helpdesk.md): commands an MSP's helpdesk sends to a CPO's charge point, beyond those of
// mod_commands. Shaped like mod_commands' objects (a response_url, a synchronous CommandResponse, an asynchronous
// CommandResult), and the same in 2.2.1 and 2.3.0.

export const HELPDESK_COMMAND_TYPES = ['RESET', 'UNLOCK'] as const
export const HelpdeskCommandType = z.enum(HELPDESK_COMMAND_TYPES)
export type HelpdeskCommandType = z.infer<typeof HelpdeskCommandType>

const helpdeskFields = {
  response_url: URL.pipe(z.url({ protocol: /^https?$/ })),
  /** the eMSP whose helpdesk asks: one the sending peer holds the EMSP role for */
  country_code: CiString(2),
  party_id: CiString(3),
  location_id: CiString(36),
  evse_uid: CiString(36),
  /** the helpdesk's ticket or case, for the CPO's records */
  reference: CiString(36).optional(),
  reason: OcpiString(255).optional(),
}

/** Restart the EVSE's charge point: SOFT lets it finish what it does, HARD restarts at once (as OCPP's Reset). */
export const HelpdeskReset = z.object({ ...helpdeskFields, type: z.enum(['SOFT', 'HARD']) })
export type HelpdeskReset = z.infer<typeof HelpdeskReset>

/** Release the connector's lock (a cable stuck after the session), without a session of the eMSP's token. */
export const HelpdeskUnlock = z.object({ ...helpdeskFields, connector_id: CiString(36) })
export type HelpdeskUnlock = z.infer<typeof HelpdeskUnlock>

export interface HelpdeskCommandBodies { RESET: HelpdeskReset; UNLOCK: HelpdeskUnlock }
export type HelpdeskCommandBody = HelpdeskCommandBodies[HelpdeskCommandType]

const same = <T>(schema: z.ZodType<T>) => ({ schema, toCanonical: (body: T) => body, fromCanonical: (body: T) => body })
const schemas = { RESET: HelpdeskReset, UNLOCK: HelpdeskUnlock } as const

/** The adapters of one helpdesk command's body (identical in both versions). */
export const helpdeskBodyVersions = (command: HelpdeskCommandType): VersionAdapters<HelpdeskCommandBody> =>
  ({ '2.3.0': same<HelpdeskCommandBody>(schemas[command]), '2.2.1': same<HelpdeskCommandBody>(schemas[command]) })

/** What a management request sends: the response_url is ours to generate. */
export const helpdeskRequestSchemas = {
  RESET: HelpdeskReset.omit({ response_url: true }),
  UNLOCK: HelpdeskUnlock.omit({ response_url: true }),
} as const
