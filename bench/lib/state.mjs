// Seeded platform states (one per name, e.g. per size), built once and cached under bench/.state/ (gitignored), keyed by everything that decides
// their content: the migrations, the seeding code and its parameters. A run works on a copy, so the cache stays clean.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { applyLocalMigrations } from '../../scripts/wrangler-process.mjs'

export const STATE_ROOT = 'bench/.state'

/**
 * The directory of a seeded state named `name`: built by `seed(persistTo)` on fresh migrations unless a complete one
 * with the same key exists. `inputs` lists what else decides the content (seeder files, parameters).
 */
export async function cachedState(name, { files = [], parameters = {}, seed, log = () => {} }) {
  const key = await stateKey(files, parameters)
  const dir = join(STATE_ROOT, `${name}-${key}`)
  if (await exists(join(dir, '.complete'))) {
    log(`${name}: cached state ${dir}`)
    return dir
  }
  for (const entry of await readdir(STATE_ROOT).catch(() => [])) {
    if (entry.startsWith(`${name}-`)) await rm(join(STATE_ROOT, entry), { recursive: true, force: true })
  }
  await mkdir(dir, { recursive: true })
  // Applying the migrations with wrangler takes 10-40 s: it is done once, into the 'migrated' state, and copied.
  if (name === 'migrated') await applyLocalMigrations(dir)
  else {
    await cp(await cachedState('migrated', { seed: async () => {} }), dir, { recursive: true })
    await rm(join(dir, '.complete'), { force: true })
  }
  const started = Date.now()
  await seed(dir)
  await writeFile(join(dir, '.complete'), JSON.stringify({ parameters, seeded_in_ms: Date.now() - started }))
  log(`${name}: seeded ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return dir
}

/**
 * A fresh working copy of a state for one run (platforms write to their state: outbox, audit log, peers). Without a
 * state, a copy of the migrated empty one (cached like any state: applying the migrations takes wrangler 10-40 s).
 */
export async function workingCopy(stateDir, name, { inMemory = false } = {}) {
  const source = stateDir ?? (await cachedState('migrated', { seed: async () => {} }))
  const root = (inMemory && memoryRoot()) || join(STATE_ROOT, 'run')
  const dir = join(root, name)
  await rm(dir, { recursive: true, force: true })
  await mkdir(root, { recursive: true })
  await cp(source, dir, { recursive: true })
  return dir
}

/**
 * Where `inMemory` working copies go (a tmpfs on Linux). Every new Durable Object is a new SQLite file and every write a
 * commit: on a local disk each costs a file creation or an fsync, which Cloudflare's storage does not make a Worker
 * wait for, and on a shared disk they wait behind everybody's I/O. A platform that creates thousands of objects (one
 * per command, one per live session) is measured on a state in memory, so the numbers are the platform's, not the
 * disk's.
 */
const MEMORY_ROOT = '/dev/shm'

/** This run's directory under MEMORY_ROOT, or undefined where there is no tmpfs. */
export const memoryRoot = () => (existsSync(MEMORY_ROOT) ? join(MEMORY_ROOT, `ocpi-edge-bench-${process.env.BENCH_PORT_BASE ?? 'default'}`) : undefined)

async function stateKey(files, parameters) {
  const hash = createHash('sha256')
  const migrations = (await readdir('migrations')).filter((name) => name.endsWith('.sql')).sort()
  for (const path of [...migrations.map((name) => join('migrations', name)), ...files]) {
    hash.update(path).update('\0').update(await readFile(path).catch(() => 'missing')).update('\0')
  }
  hash.update(JSON.stringify(parameters))
  return hash.digest('hex').slice(0, 16)
}

const exists = (path) => stat(path).then(() => true, () => false)
