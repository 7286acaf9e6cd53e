import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
// The worker as deployed: the composition root registers the served modules and the hooks between modules.
import '../src/app'

declare global {
  namespace Cloudflare {
    interface Env {
      MIGRATIONS: import('cloudflare:test').D1Migration[]
      /** The second local D1 database of the tests (vitest.config.ts): every table exists on each shard. */
      DB_SHARD_1: D1Database
    }
  }
}

await applyD1Migrations(env.DB, env.MIGRATIONS)
await applyD1Migrations(env.DB_SHARD_1, env.MIGRATIONS)
