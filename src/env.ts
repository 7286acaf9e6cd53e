// The bindings, vars and secrets are generated from wrangler.toml and .dev.vars by `npm run types` into
// worker-configuration.d.ts (Cloudflare.Env); a test fails when that file is stale.

/** Optional settings that wrangler.toml leaves unset, so `wrangler types` cannot see them. */
interface OptionalSettings {
  /** Webhook that carries out commands a hosted CPO receives, instead of the built-in charge point simulator. */
  CSMS_WEBHOOK_URL?: string
  /** Bearer token sent to CSMS_WEBHOOK_URL, when the CSMS asks for one. */
  CSMS_WEBHOOK_TOKEN?: string
  /** Unset in production (refuse); "true" or a host:port list for local use only (docs/security.md, "Outbound URL policy"). */
  ALLOW_PRIVATE_PEER_URLS?: string
  /** Consecutive HTTP 401 answers after which a peer is TOKEN_REJECTED and its outbox holds (default 5; docs/interop.md). */
  TOKEN_REJECTED_AFTER_401S?: string
  /** Pushes one peer's outbox has in flight at once, each to a different object (default 8; docs/push.md, "Delivery"). */
  OUTBOX_CONCURRENCY?: string
  /** Parties whose objects live on another D1 binding than `DB`: `CC*PID=BINDING` pairs (docs/sharding.md). */
  D1_SHARDS?: string
  /** Longest time (ms) a per-isolate memo is used (docs/architecture.md "Hot paths and memos"); unset 5000, "0" off. */
  MEMO_STALENESS_MS?: string
}

declare global {
  namespace Cloudflare {
    interface Env extends OptionalSettings {}
  }
}

export type Env = Cloudflare.Env
