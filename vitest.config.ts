import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

const migrations = await readD1Migrations('./migrations')

export default defineConfig({
  test: {
    projects: [
      {
        // Unit and integration tests inside workerd, with real local D1, Durable Objects and R2.
        plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' }, miniflare: { bindings: { MIGRATIONS: migrations, ADMIN_TOKEN: 'test-admin-token' } } })],
        test: {
          name: 'workers',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/architecture/**'],
          setupFiles: ['./test/apply-migrations.ts'],
        },
      },
      {
        // Checks over the source tree itself (import graph), in Node.
        test: { name: 'architecture', include: ['test/architecture/**/*.test.ts'], environment: 'node' },
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
