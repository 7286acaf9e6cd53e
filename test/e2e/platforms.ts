/**
 * The platforms the e2e global setup starts: each a real `wrangler dev` with its own state, port and inspector port.
 * E2E_PORT_BASE shifts every port, so several e2e runs can share one machine.
 */
const base = Number(process.env.E2E_PORT_BASE ?? 8800)
export const PLATFORMS = {
  a: { port: base + 1, inspectorPort: base + 501 },
  b: { port: base + 2, inspectorPort: base + 502 },
  c: { port: base + 3, inspectorPort: base + 503 },
  /** Not started by the global setup: a test starts and stops it (test/e2e/on-demand-platform.ts), e.g. to take a peer down. */
  d: { port: base + 4, inspectorPort: base + 504 },
} as const
export type PlatformName = keyof typeof PLATFORMS
export const STARTED_BY_SETUP: PlatformName[] = ['a', 'b', 'c']
export const E2E_ADMIN_TOKEN = 'e2e-admin-token'
export const E2E_STATE_DIR = `.e2e/${base}`
/**
 * Extra vars for every e2e platform: push retries back off from 200 ms to at most 2 s, so outage tests recover fast;
 * the platforms and fake peers all live on 127.0.0.1, which production refuses (docs/security.md); the charge point
 * simulator runs 60 times faster than real time (a meter value every second).
 */
export const E2E_VARS = { OUTBOX_RETRY_BASE_MS: '200', OUTBOX_RETRY_MAX_MS: '2000', ALLOW_PRIVATE_PEER_URLS: 'true', SIMULATOR_SPEED: '60' }
export const urlOf = (name: PlatformName) => `http://127.0.0.1:${PLATFORMS[name].port}`
