import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
// The worker as deployed: the composition root registers the served modules and the hooks between modules.
import '../src/app'

declare global {
  namespace Cloudflare {
    interface Env {
      MIGRATIONS: import('cloudflare:test').D1Migration[]
    }
  }
}

await applyD1Migrations(env.DB, env.MIGRATIONS)
