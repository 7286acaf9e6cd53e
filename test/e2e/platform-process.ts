import { rm } from 'node:fs/promises'
import { applyLocalMigrations, startPlatform as startWranglerDev, type RunningPlatform } from '../../scripts/wrangler-process.mjs'
import { E2E_ADMIN_TOKEN, E2E_STATE_DIR, E2E_VARS, PLATFORMS, urlOf, type PlatformName } from './platforms'

/** Starts platform `name` as a real `wrangler dev` on its port and state directory; `fresh` wipes and migrates the state first. */
/** `vars` replace E2E_VARS entries, e.g. a platform with a narrower outbound URL policy than the others. */
export async function launchPlatform(name: PlatformName, { fresh, vars = {} }: { fresh: boolean; vars?: Record<string, string> }): Promise<RunningPlatform> {
  const persistTo = `${E2E_STATE_DIR}/${name}`
  if (fresh) {
    await rm(persistTo, { recursive: true, force: true })
    await applyLocalMigrations(persistTo)
  }
  const { port, inspectorPort } = PLATFORMS[name]
  return startWranglerDev({
    port, inspectorPort, persistTo, adminToken: E2E_ADMIN_TOKEN, vars: { ...E2E_VARS, ...vars }, portHint: 'or give this run other ports with E2E_PORT_BASE',
  }).catch((error) => {
    throw new Error(`platform ${name}: ${error}`)
  })
}

// On-demand platforms (not started by the global setup), per test file. By default the state is wiped at the first
// start only, so a stop and start is a restart of the same platform, on the same port, with everything it stored.
const running = new Map<PlatformName, RunningPlatform>()
const started = new Set<PlatformName>()

export async function startPlatform(name: PlatformName, { fresh = !started.has(name), vars }: { fresh?: boolean; vars?: Record<string, string> } = {}): Promise<void> {
  if (running.has(name)) return
  running.set(name, await launchPlatform(name, { fresh, vars }))
  started.add(name)
}

/** Stops an on-demand platform and returns once its port refuses connections (workerd may outlive wrangler briefly). */
export async function stopPlatform(name: PlatformName): Promise<void> {
  await running.get(name)?.stop()
  running.delete(name)
  const deadline = Date.now() + 10_000
  while (await fetch(urlOf(name)).then(() => true, () => false)) {
    if (Date.now() > deadline) throw new Error(`platform ${name} still answers after being stopped`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
