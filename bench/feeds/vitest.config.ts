import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

// Measures an x-feeds build of many locations (FEED_BUILD_LOCATIONS, default 300,000) inside workerd, step by step as
// the background job runs it. Not part of `npm test`: `npx vitest run -c bench/feeds/vitest.config.ts`.
const migrations = await readD1Migrations('./migrations')

export default defineConfig({
  plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' }, miniflare: { bindings: { MIGRATIONS: migrations, ADMIN_TOKEN: 'bench-admin-token', FEED_BUILD_LOCATIONS: process.env.FEED_BUILD_LOCATIONS ?? '300000' } } })],
  test: { include: ['bench/feeds/*.measure.ts'], testTimeout: 3_600_000, hookTimeout: 3_600_000 },
})
