import type { MiddlewareHandler } from 'hono'
import { BoundedMap, Memo } from '../db/memo'
import type { Database } from '../db/client'
import { findPeerByTokenHash } from './store'
import { constantTimeEqual, hashToken, tokenCandidates } from '../ocpi/auth'
import type { OcpiEnv } from '../ocpi/context'
import { OcpiError } from '../ocpi/errors'

// The peer behind a token hash, remembered per isolate within the memo staleness (docs/security.md "Token revocation"):
// a token revoked or superseded elsewhere is refused within that bound, at once on the isolate that revoked it; one
// past its expires_at is never used. Unknown hashes (a raw token's decoded reading, a wrong token) are remembered apart,
// so a flood of wrong tokens cannot push the peers out; a token we issue is random, never asked for before it exists.
type TokenOwner = Awaited<ReturnType<typeof findPeerByTokenHash>>
const peersByTokenHash = new Memo<TokenOwner>(1_000)
const unknownTokenHashes = new Memo<TokenOwner>(1_000)

const peerOfToken = (db: Database, hash: string) =>
  peersByTokenHash.get(
    hash,
    () => unknownTokenHashes.get(hash, () => findPeerByTokenHash(db, hash), { keep: (found) => found === undefined }),
    { keep: (found) => found !== undefined, until: (found) => found?.expires_at ?? Infinity },
  )

// What an Authorization header value reads as: its candidate tokens (Base64-decoded, raw) and their SHA-256. A peer
// sends the same header on every request; decoding and hashing it again cost more than the rest of /ocpi/versions.
// Exact for its key, so no staleness; bounded, so a flood of made-up headers only evicts others.
const candidatesByHeader = new BoundedMap<{ candidate: string; hash: string }[]>(1_000)
// Longest header value remembered: `Token ` and the Base64 of a 64-character token (credentials.asciidoc) fit well
// within it; a made-up header of kilobytes is read every time, so a thousand of them cannot fill the isolate's memory.
const MAX_REMEMBERED_HEADER_LENGTH = 256

async function hashedCandidates(header: string | undefined): Promise<{ candidate: string; hash: string }[]> {
  const known = header === undefined ? undefined : candidatesByHeader.get(header)
  if (known) return known
  const candidates = await Promise.all(tokenCandidates(header).map(async (candidate) => ({ candidate, hash: await hashToken(candidate) })))
  if (header!.length <= MAX_REMEMBERED_HEADER_LENGTH) candidatesByHeader.set(header!, candidates)
  return candidates
}

/**
 * Authorization: Token <base64 token> (raw tokens tolerated). The token is looked up by its SHA-256, then the stored
 * hash is compared in constant time. Token A opens only versions and credentials (credentials.asciidoc).
 */
export function authenticatePeer(options: { allowTokenA: boolean }): MiddlewareHandler<OcpiEnv> {
  return async (c, next) => {
    for (const { candidate, hash } of await hashedCandidates(c.req.header('Authorization'))) {
      const found = await peerOfToken(c.get('db'), hash)
      if (!found || !constantTimeEqual(found.token_hash, hash) || (found.expires_at !== null && found.expires_at <= Date.now())) continue
      if (found.kind === 'A' && !options.allowTokenA) break
      if (found.peer.status === 'SUSPENDED') throw new OcpiError(2000, 'Peer is suspended', { http_status: 401 })
      c.set('credentialsToken', candidate)
      c.set('peer', { id: found.peer.id, status: found.peer.status, version: found.peer.version, roles: found.peer.roles, extensions: found.peer.extensions, ingest: found.peer.ingest, own_party: found.peer.own_party, tokenKind: found.kind })
      return next()
    }
    throw new OcpiError(2000, 'Unknown or invalid credentials token', { http_status: 401 })
  }
}
