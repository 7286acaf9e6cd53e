import type { Context } from 'hono'
import type { OcpiEnv } from './context'
import type { OcpiVersion } from './versions'
import { fromWire, fromWireTolerant, type Owner, type VersionAdapters } from './version-adapters'

// How objects a peer sends are read. 'strict' (the default for pushes): the first invalid field refuses the whole
// object with 2001 and its path. 'tolerant' (every pull, and pushes from a peer the operator set so): invalid optional
// fields and list elements are dropped (tolerant.ts) and the object refused only when a required field is wrong. What
// was dropped is kept beside the object as warnings for the operator (src/db/ingest-warnings.ts), never sent on.

export const INGEST_MODES = ['strict', 'tolerant'] as const
export type IngestMode = (typeof INGEST_MODES)[number]

/** One dropped part of a received object: where, why, and when it was received. */
export interface IngestWarning { path: string; reason: string; at: string }

/** A wire object read the way `mode` says, canonical, with what was dropped to read it. */
export function readIngested<Canonical>(
  adapters: VersionAdapters<Canonical>, version: OcpiVersion, value: unknown, mode: IngestMode, now = new Date(), owner?: Owner,
): { object: Canonical; warnings: IngestWarning[] } {
  if (mode === 'strict') return { object: fromWire(adapters, version, value, owner), warnings: [] }
  const { object, drops } = fromWireTolerant(adapters, version, value, owner)
  return { object, warnings: ingestWarnings(drops, now) }
}

/**
 * A pushed object, read the way the operator set for the pushing peer. `owner`: the party the object belongs to, for
 * versions whose objects do not name it (2.1.1).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const readPushed = <Canonical>(c: Context<OcpiEnv, any, any>, adapters: VersionAdapters<Canonical>, value: unknown, owner?: Owner) =>
  readIngested(adapters, c.get('version'), value, c.get('peer').ingest, new Date(), owner)

/** Drops as warnings, their paths under `prefix` (an EVSE's parts inside its location: `evses.<uid>`). */
export function ingestWarnings(drops: ReadonlyArray<{ path: string; reason: string }>, now = new Date(), prefix?: string): IngestWarning[] {
  const at = now.toISOString()
  return drops.map(({ path, reason }) => ({ path: prefix ? `${prefix}.${path}` : path, reason, at }))
}

/**
 * The key under which an object's warnings are kept: its identifying fields, country code and party id upper-case
 * (they are CiString), joined by '*'. Modules pass the same fields their primary key has.
 */
export const ingestKey = (country_code: string, party_id: string, ...ids: string[]) => [country_code.toUpperCase(), party_id.toUpperCase(), ...ids].join('*')
