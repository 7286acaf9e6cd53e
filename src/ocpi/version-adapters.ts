import type { Context } from 'hono'
import { readObjectBody } from './object-body'
import type { z } from 'zod'
import { parseWith } from './body'
import { OcpiError } from './errors'
import { parseTolerant } from './tolerant'
import type { OcpiEnv } from './context'
import { SUPPORTED_VERSIONS, type OcpiVersion } from './versions'

/**
 * The party whose object a wire object is. 2.1.1 objects carry no country_code and party_id (a 2.1.1 connection
 * serves one party, credentials.md), so their adapters take them from the connection; later versions ignore it.
 */
export interface Owner {
  country_code: string
  party_id: string
}

/**
 * One OCPI object in one version: its wire schema and pure conversions to and from the canonical (2.3.0) shape.
 * Modules keep one of these per object next to their schemas; the transport picks the entry for the peer's version.
 */
export interface VersionAdapter<Canonical, Wire> {
  schema: z.ZodType<Wire>
  toCanonical(wire: Wire, owner?: Owner): Canonical
  fromCanonical(canonical: Canonical): Wire
}

/** Versions every object has an adapter for; 2.1.1 lacks several objects (bookings, invoices, charging profiles...). */
export type CompleteVersion = Exclude<OcpiVersion, '2.1.1'>

// `any` on the wire side: each version has its own wire type, and callers only ever see Canonical or unknown JSON.
// An object without a 2.1.1 entry does not exist in 2.1.1: it is neither read nor sent to a 2.1.1 peer.
export type VersionAdapters<Canonical> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [version in CompleteVersion]: VersionAdapter<Canonical, any>
} & {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  '2.1.1'?: VersionAdapter<Canonical, any>
}

/** The adapter of `version`; an object that version does not define is 2000 ("not in this version"), never a 5xx. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function adapterFor<Canonical>(adapters: VersionAdapters<Canonical>, version: OcpiVersion): VersionAdapter<Canonical, any> {
  const adapter = adapters[version]
  if (!adapter) throw new OcpiError(2000, `This object is not defined in OCPI ${version}`)
  return adapter
}

/** Whether `version` defines this object. */
export const hasVersion = <Canonical>(adapters: VersionAdapters<Canonical>, version: OcpiVersion) => adapters[version] !== undefined

/** Validates a wire object of `version` and converts it to canonical; 2001 with the field path when it does not parse. */
export function fromWire<Canonical>(adapters: VersionAdapters<Canonical>, version: OcpiVersion, value: unknown, owner?: Owner): Canonical {
  const adapter = adapterFor(adapters, version)
  return adapter.toCanonical(parseWith(adapter.schema, value), owner)
}

/**
 * Like fromWire for objects we pull: invalid optional fields and list elements are dropped and listed in `dropped`
 * (tolerant.ts); 2001 with the field path only when a required field is wrong.
 */
export function fromWireTolerant<Canonical>(
  adapters: VersionAdapters<Canonical>,
  version: OcpiVersion,
  value: unknown,
  owner?: Owner,
): { object: Canonical; dropped: string[]; drops: { path: string; reason: string }[] } {
  const adapter = adapterFor(adapters, version)
  const result = parseTolerant(adapter.schema, value)
  if (!result.success) throw result.error ? OcpiError.fromZod(result.error) : new OcpiError(2001, 'too many invalid parts')
  return { object: adapter.toCanonical(result.data, owner), dropped: result.dropped, drops: result.drops }
}

export function toWire<Canonical>(adapters: VersionAdapters<Canonical>, version: OcpiVersion, canonical: Canonical): unknown {
  return adapterFor(adapters, version).fromCanonical(canonical)
}

/** The body of one change in every supported version that defines the object, as a push carries it. */
export function wireBodies<Canonical>(adapters: VersionAdapters<Canonical>, canonical: Canonical): Partial<Record<OcpiVersion, unknown>> {
  return Object.fromEntries(SUPPORTED_VERSIONS.flatMap((version) => {
    const adapter = adapters[version]
    return adapter ? [[version, adapter.fromCanonical(canonical)]] : []
  }))
}

/**
 * Reads the request body in the caller's negotiated version (c.get('version')) and returns it canonical; `owner` is the
 * party a 2.1.1 object belongs to.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function readVersionedBody<Canonical>(c: Context<OcpiEnv, any, any>, adapters: VersionAdapters<Canonical>, owner?: Owner): Promise<Canonical> {
  return fromWire(adapters, c.get('version'), await readObjectBody(c), owner)
}
