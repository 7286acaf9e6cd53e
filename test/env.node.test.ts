import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

// worker-configuration.d.ts is generated (`npm run types`): it must match wrangler.toml and .dev.vars as they are now.
it('the generated Env (worker-configuration.d.ts) is up to date', async () => {
  const { scripts } = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> }
  const [command, ...args] = scripts.types!.split(' ')
  expect(command).toBe('wrangler')
  // --check regenerates in memory with the same flags and compares with the committed file; exit code 1 when stale.
  const run = promisify(execFile)('node_modules/.bin/wrangler', [...args, '--check'], { env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } })
  await expect(run).resolves.toMatchObject({ stdout: expect.stringContaining('up to date') })
}, 30_000)
