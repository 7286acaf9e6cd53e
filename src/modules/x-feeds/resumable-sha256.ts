import { sha256 } from '@noble/hashes/sha2.js'
import { toHex } from '../../ocpi/urls'

// A feed's `sha256` covers its whole NDJSON, but a chunked build hashes it over many invocations: the running hash
// must be saved in the job's state between chunks. WebCrypto's digests cannot be saved, so the hash is @noble/hashes'
// SHA-256, whose state (eight words, the unprocessed tail of the last 64-byte block, the length) is written out here.

/** The running hash as plain JSON. */
export interface Sha256State { words: number[]; tail: number[]; length: number }

/** The fields of noble's SHA-256 (a Merkle-Damgard hash) that make up its state; protected in its types. */
interface HashInternals { get(): number[]; set(...words: number[]): void; buffer: Uint8Array; pos: number; length: number }

export type RunningSha256 = ReturnType<typeof sha256.create>

/** A hash continuing from `state`, or a new one. */
export function resumeSha256(state?: Sha256State): RunningSha256 {
  const hash = sha256.create()
  if (!state) return hash
  const internals = hash as unknown as HashInternals
  internals.set(...state.words)
  internals.buffer.set(state.tail)
  internals.pos = state.tail.length
  internals.length = state.length
  return hash
}

export function saveSha256(hash: RunningSha256): Sha256State {
  const internals = hash as unknown as HashInternals
  return { words: internals.get(), tail: [...internals.buffer.subarray(0, internals.pos)], length: internals.length }
}

export const finishSha256 = (hash: RunningSha256): string => toHex(hash.digest())
