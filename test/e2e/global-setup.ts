import { spawn, type ChildProcess } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { E2E_ADMIN_TOKEN, E2E_STATE_DIR, PLATFORMS, urlOf, type PlatformName } from './platforms'
import { runWrangler, waitUntilServing } from '../../scripts/wrangler-process.mjs'

const children: ChildProcess[] = []

export default async function setup() {
  await Promise.all(
    (Object.keys(PLATFORMS) as PlatformName[]).map(async (name) => {
      const persistTo = `${E2E_STATE_DIR}/${name}`
      await rm(persistTo, { recursive: true, force: true })
      await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo])
      const { port, inspectorPort } = PLATFORMS[name]
      const child = spawn(
        process.execPath,
        [
          'node_modules/wrangler/bin/wrangler.js', 'dev', '--port', String(port), '--inspector-port', String(inspectorPort),
          '--ip', '127.0.0.1', '--persist-to', persistTo, '--show-interactive-dev-session=false',
          '--var', `PUBLIC_URL:${urlOf(name)}`, '--var', `ADMIN_TOKEN:${E2E_ADMIN_TOKEN}`,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, detached: true },
      )
      children.push(child)
      let output = ''
      child.stdout?.on('data', (chunk) => (output += chunk))
      child.stderr?.on('data', (chunk) => (output += chunk))
      await waitUntilServing(urlOf(name), 90_000).catch((error) => {
        throw new Error(`platform ${name} did not start: ${error}\n${output.slice(-4000)}`)
      })
    }),
  )
  return async () => {
    for (const child of children) {
      try {
        process.kill(-child.pid!, 'SIGTERM')
      } catch {
        // already gone
      }
    }
  }
}
