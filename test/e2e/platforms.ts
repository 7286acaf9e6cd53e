/**
 * The platforms the e2e global setup starts: each a real `wrangler dev` with its own state, port and inspector port.
 * E2E_PORT_BASE shifts every port, so several e2e runs can share one machine.
 */
const base = Number(process.env.E2E_PORT_BASE ?? 8800)
export const PLATFORMS = {
  a: { port: base + 1, inspectorPort: base + 501 },
  b: { port: base + 2, inspectorPort: base + 502 },
  c: { port: base + 3, inspectorPort: base + 503 },
} as const
export type PlatformName = keyof typeof PLATFORMS
export const E2E_ADMIN_TOKEN = 'e2e-admin-token'
export const E2E_STATE_DIR = `.e2e/${base}`
export const urlOf = (name: PlatformName) => `http://127.0.0.1:${PLATFORMS[name].port}`
