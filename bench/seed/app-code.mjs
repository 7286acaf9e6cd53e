// The project's own TypeScript (row builders, key functions, zod schemas), bundled for Node with esbuild (which
// wrangler ships), so seeded rows are built by exactly the code the platform uses and cannot drift from it.
import { build } from 'esbuild'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const BUILD_DIR = 'bench/.state/build'

/** `exports` maps a source module (repo-relative, no extension) to the names it must export. */
export async function importAppCode(name, exports) {
  const contents = Object.entries(exports).map(([module, names]) => `export { ${names.join(', ')} } from './${module}'`).join('\n')
  await mkdir(BUILD_DIR, { recursive: true })
  const outfile = join(BUILD_DIR, `${name}.mjs`)
  await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts', sourcefile: `${name}.ts` },
    bundle: true, platform: 'node', format: 'esm', target: 'node22', outfile, logLevel: 'error',
    external: ['cloudflare:*'],
  })
  const code = await import(`${pathToFileURL(resolve(outfile)).href}?${Date.now()}`)
  // esbuild drops a re-export a TypeScript module lacks (it could have been a type): a moved name would seed undefined.
  const missing = Object.entries(exports).flatMap(([module, names]) => names.filter((name) => code[name] === undefined).map((name) => `${name} from ${module}`))
  if (missing.length > 0) throw new Error(`bench seed code: no ${missing.join(', ')}`)
  return code
}
