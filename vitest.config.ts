import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

const migrations = await readD1Migrations('./migrations')

export default defineConfig({
  test: {
    // One JSON line per request (src/ocpi/log.ts): test/app/request-log.test.ts checks them; elsewhere they are noise.
    onConsoleLog: (log: string) => !log.startsWith('{"time":'),
    projects: [
      {
        // Unit and integration tests inside workerd, with real local D1, Durable Objects and R2.
        // A second D1 binding, DB_SHARD_1, holds the objects of the parties D1_SHARDS moves there (test/db/shards.test.ts).
        plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' }, miniflare: {
          d1Databases: { DB: '00000000-0000-0000-0000-000000000000', DB_SHARD_1: '00000000-0000-0000-0000-000000000001' },
          bindings: { MIGRATIONS: migrations, ADMIN_TOKEN: 'test-admin-token', ALLOW_PRIVATE_PEER_URLS: 'true', COMMAND_RESULT_MARGIN_SECONDS: '0', MEMO_STALENESS_MS: '0', D1_SHARDS: 'XS*SH1=DB_SHARD_1' },
        } })],
        test: {
          name: 'workers',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/architecture/**', 'test/**/*.node.test.ts'],
          setupFiles: ['./test/apply-migrations.ts'],
        },
      },
      {
        // Checks of the repository itself that need Node (files, child processes): the import graph, generated files, the spec census.
        test: {
          name: 'node',
          include: ['test/architecture/**/*.test.ts', 'test/**/*.node.test.ts'],
          environment: 'node',
        },
      },
      {
        // End to end: real `wrangler dev` platforms talking OCPI to each other over localhost.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./test/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
