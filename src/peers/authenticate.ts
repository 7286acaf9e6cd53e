import type { MiddlewareHandler } from 'hono'
import { findPeerByTokenHash } from './store'
import { constantTimeEqual, hashToken, tokenCandidates } from '../ocpi/auth'
import type { OcpiEnv } from '../ocpi/context'
import { OcpiError } from '../ocpi/errors'

/**
 * Authorization: Token <base64 token> (raw tokens tolerated). The token is looked up by its SHA-256, then the stored
 * hash is compared in constant time. Token A opens only versions and credentials (credentials.asciidoc).
 */
export function authenticatePeer(options: { allowTokenA: boolean }): MiddlewareHandler<OcpiEnv> {
  return async (c, next) => {
    for (const candidate of tokenCandidates(c.req.header('Authorization'))) {
      const hash = await hashToken(candidate)
      const found = await findPeerByTokenHash(c.var.db, hash)
      if (!found || !constantTimeEqual(found.token_hash, hash)) continue
      if (found.kind === 'A' && !options.allowTokenA) break
      if (found.peer.status === 'SUSPENDED') throw new OcpiError(2000, 'Peer is suspended', { http_status: 401 })
      c.set('credentialsToken', candidate)
      c.set('peer', { id: found.peer.id, status: found.peer.status, version: found.peer.version, roles: found.peer.roles, extensions: found.peer.extensions, own_party: found.peer.own_party, tokenKind: found.kind })
      return next()
    }
    throw new OcpiError(2000, 'Unknown or invalid credentials token', { http_status: 401 })
  }
}
