// Whether the code a scenario needs has landed, so a missing module skips its scenario with a reason instead of failing.
import { readFile } from 'node:fs/promises'

/** A reason when `src/modules/<id>` is not served (not imported by src/app/modules.ts, the module list), else undefined. */
export async function moduleMissing(id) {
  const list = await readFile('src/app/modules.ts', 'utf8').catch(() => '')
  if (!new RegExp(`from '\\.\\./modules/${id}(/index)?'`).test(list)) return `module ${id} is not listed in src/app/modules.ts yet`
  return undefined
}

/** A reason when the management API has no route with this path literal, else undefined. */
export async function adminRouteMissing(file, path) {
  const source = await readFile(file, 'utf8').catch(() => '')
  return source.includes(`'${path}'`) ? undefined : `management route ${path} is not in ${file} yet`
}
