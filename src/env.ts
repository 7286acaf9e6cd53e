import type { PeerOutbox } from './objects/peer-outbox'
import type { ChargingSession } from './objects/charging-session'
import type { CommandTracker } from './objects/command-tracker'

export interface Env {
  DB: D1Database
  PEER_OUTBOX: DurableObjectNamespace<PeerOutbox>
  CHARGING_SESSION: DurableObjectNamespace<ChargingSession>
  COMMAND_TRACKER: DurableObjectNamespace<CommandTracker>
  BUNDLES: R2Bucket
  PUBLIC_URL: string
  OCPI_VERSIONS: string
  CREDENTIALS_MAX_AGE_DAYS: string
  TOKEN_GRACE_SECONDS: string
  OCPI_CLIENT_TIMEOUT_MS: string
  ADMIN_TOKEN: string
  CSMS_WEBHOOK_URL?: string
}

type OcpiEdgeEnv = Env

// Types `env` from 'cloudflare:workers' (tests, Durable Objects) with the same bindings.
declare global {
  namespace Cloudflare {
    interface Env extends OcpiEdgeEnv {}
    interface GlobalProps {
      mainModule: typeof import('./index')
      durableNamespaces: 'PeerOutbox' | 'ChargingSession' | 'CommandTracker'
    }
  }
}
