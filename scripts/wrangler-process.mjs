// Helpers shared by the e2e setup, `npm start` and the benchmark: run wrangler with the project's own Node.
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'

const WRANGLER = 'node_modules/wrangler/bin/wrangler.js'
// Offline by design: no metrics, and no fetch of the `Request.cf` placeholder from the internet at every start.
const offlineEnv = () => ({ ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' })
export { offlineEnv }
const wranglerEnv = () => ({ ...offlineEnv(), CI: 'true' })

export function runWrangler(args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], {
      stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
      env: wranglerEnv(),
    })
    let output = ''
    child.stdout?.on('data', (chunk) => (output += chunk))
    child.stderr?.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`wrangler ${args.join(' ')} exited ${code}\n${output}`))))
  })
}

export async function waitUntilServing(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  let lastError
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url)
      if (response.status < 500) return
      lastError = new Error(`HTTP ${response.status}`)
    } catch (error) {
      lastError = error
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw lastError ?? new Error('timed out')
}

/** Applies every migration to the local D1 kept in persistTo. */
export function applyLocalMigrations(persistTo) {
  return runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo])
}

/** Bundles the Worker once into outdir (`wrangler deploy --dry-run`); returns the script for startPlatform's `script`. */
export async function buildWorker(outdir) {
  await runWrangler(['deploy', '--dry-run', '--outdir', outdir])
  return `${outdir}/index.js`
}

/** True when nothing listens on 127.0.0.1:`port` (a listen there succeeds). */
export function isPortFree(port) {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', (error) => (error.code === 'EADDRINUSE' || error.code === 'EACCES' ? resolve(false) : reject(error)))
    server.listen({ port, host: '127.0.0.1' }, () => server.close(() => resolve(true)))
  })
}

/**
 * Fails when one of `ports` (named by what it is for) is taken, naming the port, instead of letting a platform start
 * beside a stale one that still answers there. A port still held by a platform that is shutting down (a restart) gets
 * `graceMs` to be released.
 */
export async function assertPortsFree(ports, { label, hint = '', graceMs = 5_000 }) {
  const deadline = Date.now() + graceMs
  for (const [use, port] of Object.entries(ports)) {
    while (!(await isPortFree(port))) {
      if (Date.now() >= deadline) {
        throw new Error(
          `${label}: ${use} port ${port} on 127.0.0.1 is already in use. A \`wrangler dev\` or workerd left over from an earlier ` +
          `run may still hold it: find it with \`lsof -nP -iTCP:${port} -sTCP:LISTEN\` or \`ss -ltnp 'sport = :${port}'\` and stop it${hint ? `, ${hint}` : ''}.`,
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}

/**
 * Starts one platform: `wrangler dev` on 127.0.0.1 with its own port, inspector port and state directory, the given
 * PUBLIC_URL and ADMIN_TOKEN, and waits until it answers. The process group is detached so stop() also ends workerd.
 * Both ports must be free (assertPortsFree); `portHint` completes the message when one is not.
 */
export async function startPlatform({ port, inspectorPort, persistTo, adminToken, vars = {}, timeoutMs = 90_000, script, portHint }) {
  const url = `http://127.0.0.1:${port}`
  await assertPortsFree({ HTTP: port, inspector: inspectorPort }, { label: `platform on port ${port}`, hint: portHint })
  const varArgs = Object.entries({ PUBLIC_URL: url, ADMIN_TOKEN: adminToken, ...vars }).flatMap(([name, value]) => ['--var', `${name}:${value}`])
  // A prebuilt script (buildWorker) is served as is: no rebuild when sources change while the platform runs.
  const scriptArgs = script ? [script, '--no-bundle', '--config', 'wrangler.toml'] : []
  const child = spawn(
    process.execPath,
    [WRANGLER, 'dev', ...scriptArgs, '--port', String(port), '--inspector-port', String(inspectorPort), '--ip', '127.0.0.1',
      '--persist-to', persistTo, '--show-interactive-dev-session=false', ...varArgs],
    { stdio: ['ignore', 'pipe', 'pipe'], env: offlineEnv(), detached: true },
  )
  return superviseUntilServing(child, url, timeoutMs, `platform on port ${port}`)
}

/**
 * Keeps the last output of a detached platform process and waits until `url` answers; stop() ends its whole process
 * group (SIGTERM, then up to 5 s for it to exit; with `forceKill`, SIGKILL after that). A platform that does not start
 * is stopped and reported with its output.
 */
export async function superviseUntilServing(child, url, timeoutMs, label, { forceKill = false } = {}) {
  let output = ''
  const keep = (chunk) => (output = (output + chunk).slice(-20_000))
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {
      return // already gone
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))])
    if (!forceKill) return
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {
      // gone
    }
  }
  try {
    await waitUntilServing(url, timeoutMs)
  } catch (error) {
    await stop()
    throw new Error(`${label} did not start: ${error}\n${output.slice(-4000)}`)
  }
  return { url, child, stop, output: () => output }
}
