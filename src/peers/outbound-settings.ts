import { env } from 'cloudflare:workers'
import { peerUrlPolicy, type PeerUrlPolicy } from '../ocpi/outbound-url'

// Limits of every call we make to a peer, read from the Worker's vars (wrangler.toml, docs/security.md "Limits").
// Read here rather than passed by each caller, so no outbound call can forget them.

export interface OutboundSettings {
  urlPolicy: PeerUrlPolicy
  /** A peer's answer larger than this is not read further: 3001. */
  maxResponseBytes: number
  /** A Retry-After up to this long is waited for before the next attempt; a longer one ends the attempts. */
  retryAfterMaxMs: number
}

export const DEFAULT_PEER_RESPONSE_MAX_BYTES = 4 * 1024 * 1024
export const DEFAULT_PEER_RETRY_AFTER_MAX_MS = 10_000

type OutboundVars = { ALLOW_PRIVATE_PEER_URLS?: string; PEER_RESPONSE_MAX_BYTES?: string; PEER_RETRY_AFTER_MAX_MS?: string }

const positive = (value: string | undefined, fallback: number) => {
  const number = Number(value)
  return Number.isFinite(number) && number > 0 ? number : fallback
}

export function outboundSettings(vars: OutboundVars = env as OutboundVars): OutboundSettings {
  return {
    urlPolicy: peerUrlPolicy(vars.ALLOW_PRIVATE_PEER_URLS),
    maxResponseBytes: positive(vars.PEER_RESPONSE_MAX_BYTES, DEFAULT_PEER_RESPONSE_MAX_BYTES),
    retryAfterMaxMs: positive(vars.PEER_RETRY_AFTER_MAX_MS, DEFAULT_PEER_RETRY_AFTER_MAX_MS),
  }
}
