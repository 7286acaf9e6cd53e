import { database, type Database } from './client'
import type { Env } from '../env'

/**
 * Whose data a query reads or writes: a party's objects (country_code + party_id), or `'platform'` data that belongs
 * to no one party (peers, credentials tokens, hosted parties, audit log, jobs, and every query across parties).
 */
export type ShardKey = 'platform' | { country_code: string; party_id: string }

/** The binding everything lives on unless `D1_SHARDS` moves a party elsewhere; platform data never moves. */
export const PLATFORM_BINDING = 'DB'

/** What shard selection reads of the Worker's env: the platform binding and the shard map; other bindings by name. */
export type ShardSettings = Pick<Env, 'DB' | 'D1_SHARDS'>

const parsed = new Map<string, ReadonlyMap<string, string>>()

/**
 * `D1_SHARDS`: which parties live on which D1 binding, as `CC*PID=BINDING` pairs separated by commas or spaces
 * (e.g. `NL*ABC=DB_SHARD_1, DE*XYZ=DB_SHARD_1`). Unset or empty: every party on `DB`. Party ids are compared
 * case-insensitively (OCPI CiString).
 */
export function shardMap(setting: string | undefined): ReadonlyMap<string, string> {
  const text = setting?.trim() ?? ''
  const known = parsed.get(text)
  if (known) return known
  const map = new Map<string, string>()
  for (const pair of text.split(/[\s,]+/).filter(Boolean)) {
    const match = /^([A-Za-z]{2})\*([A-Za-z0-9]{3})=([A-Za-z_][A-Za-z0-9_]*)$/.exec(pair)
    if (!match) throw new Error(`D1_SHARDS: "${pair}" is not CC*PID=BINDING`)
    const [, country_code = '', party_id = '', binding = ''] = match
    map.set(partyName({ country_code, party_id }), binding)
  }
  parsed.set(text, map)
  return map
}

const partyName = ({ country_code, party_id }: { country_code: string; party_id: string }) => `${country_code}*${party_id}`.toUpperCase()

/** The name of the D1 binding that holds this shard key's data. */
export function shardBinding(env: Pick<ShardSettings, 'D1_SHARDS'>, key: ShardKey = 'platform'): string {
  if (key === 'platform') return PLATFORM_BINDING
  return shardMap(env.D1_SHARDS).get(partyName(key)) ?? PLATFORM_BINDING
}

/** Whether any party lives off `DB`: when none does, every query may use the platform database without asking. */
export const isSharded = (env: Pick<ShardSettings, 'D1_SHARDS'>): boolean => shardMap(env.D1_SHARDS).size > 0

/** Every binding a configuration uses, the platform's first (for work that must visit each shard). */
export function shardBindings(env: Pick<ShardSettings, 'D1_SHARDS'>): string[] {
  return [...new Set([PLATFORM_BINDING, ...shardMap(env.D1_SHARDS).values()])]
}

/**
 * The one shard key that reaches every one of these parties' objects: `'platform'` when they all live on `DB` (or
 * there are none), the first party when they share another binding, undefined when they are spread over several.
 */
export function commonShard(env: Pick<ShardSettings, 'D1_SHARDS'>, parties: readonly { country_code: string; party_id: string }[]): ShardKey | undefined {
  const bindings = new Set(parties.map((party) => shardBinding(env, party)))
  if (bindings.size > 1) return undefined
  const [only] = bindings
  return !only || only === PLATFORM_BINDING ? 'platform' : parties[0]
}

/** The D1 database of a shard key. A binding `D1_SHARDS` names but the Worker lacks is a deployment error: thrown. */
export function d1For(env: ShardSettings, key: ShardKey = 'platform'): D1Database {
  const name = shardBinding(env, key)
  const binding = (env as Record<string, unknown>)[name]
  if (!binding || typeof (binding as D1Database).withSession !== 'function') throw new Error(`D1_SHARDS names binding ${name}, which this Worker does not have`)
  return binding as D1Database
}

/**
 * The one way code outside src/db opens the database: platform data by default, a party's objects on its shard.
 * Its twin for OCPI reads that may use a read replica is `openReadSession` (src/db/session.ts).
 */
export function databaseFor(env: ShardSettings, key: ShardKey = 'platform'): Database {
  return database(d1For(env, key))
}
