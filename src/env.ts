import type { PeerOutbox } from './objects/peer-outbox'
import type { ChargingSession } from './objects/charging-session'
import type { CommandTracker } from './objects/command-tracker'
import type { BackgroundJob } from './objects/background-job'

export interface Env {
  DB: D1Database
  PEER_OUTBOX: DurableObjectNamespace<PeerOutbox>
  CHARGING_SESSION: DurableObjectNamespace<ChargingSession>
  COMMAND_TRACKER: DurableObjectNamespace<CommandTracker>
  BACKGROUND_JOB: DurableObjectNamespace<BackgroundJob>
  BUNDLES: R2Bucket
  PUBLIC_URL: string
  OCPI_VERSIONS: string
  CREDENTIALS_MAX_AGE_DAYS: string
  TOKEN_GRACE_SECONDS: string
  OCPI_CLIENT_TIMEOUT_MS: string
  OUTBOX_RETRY_BASE_MS: string
  OUTBOX_RETRY_MAX_MS: string
  /** Timeout (ms) of a real-time token authorize to an eMSP; a driver is waiting at the charge point. */
  AUTHORIZE_TIMEOUT_MS: string
  /** WhitelistType ALLOWED tokens: 'realtime' (ask the eMSP, cache as fallback) or 'local' (decide from the cache). */
  AUTHORIZE_ALLOWED_WHITELIST: string
  ADMIN_TOKEN: string
  CSMS_WEBHOOK_URL?: string
  /** Secret HMAC key for x-gdpr pseudonyms (`wrangler secret put GDPR_PSEUDONYM_KEY`); .dev.vars sets a local default. */
  GDPR_PSEUDONYM_KEY?: string
}

type OcpiEdgeEnv = Env

// Types `env` from 'cloudflare:workers' (tests, Durable Objects) with the same bindings.
declare global {
  namespace Cloudflare {
    interface Env extends OcpiEdgeEnv {}
    interface GlobalProps {
      mainModule: typeof import('./index')
      durableNamespaces: 'PeerOutbox' | 'ChargingSession' | 'CommandTracker' | 'BackgroundJob'
    }
  }
}
