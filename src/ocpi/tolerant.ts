import type { z } from 'zod'

// Tolerant reading of objects we pull from peers. Real hubs send objects with one bad optional detail (a facility of a
// later version, a name given as a list); refusing the whole object loses everything valid in it. The rule: an
// invalid OPTIONAL field or list element is dropped and reported, the object is refused only when a required field is
// wrong. It is generic over any zod schema: at the path of each issue, the deepest field or list element whose removal
// the schema accepts is removed, and the object parsed again.

export interface TolerantResult<T> {
  success: boolean
  data?: T
  /** What was removed to make the object valid: `path: reason`. */
  dropped: string[]
  /** The same, structured. */
  drops: { path: string; reason: string }[]
  /** When refused: the issue no removal of an optional part could fix. */
  error?: z.ZodError
}

type Path = ReadonlyArray<PropertyKey>

/** Dropping more than this many parts of one object means the object is not what the schema describes. */
const MAX_DROPS = 100

export function parseTolerant<T>(schema: z.ZodType<T>, value: unknown): TolerantResult<T> {
  let current = structuredClone(value)
  const drops: { path: string; reason: string }[] = []
  const done = (result: Omit<TolerantResult<T>, 'dropped' | 'drops'>): TolerantResult<T> =>
    ({ ...result, drops, dropped: drops.map(({ path, reason }) => `${path}: ${reason}`) })
  for (let round = 0; round <= MAX_DROPS; round++) {
    const result = schema.safeParse(current)
    if (result.success) return done({ success: true, data: result.data })
    const [issue] = result.error.issues
    const fixed = issue && round < MAX_DROPS ? dropAt(schema, current, issue.path, result.error.issues) : undefined
    if (!fixed) return done({ success: false, error: result.error })
    current = fixed.value
    drops.push({ path: pathText(fixed.path), reason: issue?.message ?? 'invalid' })
  }
  return done({ success: false })
}

/**
 * The value with the deepest removable part on `path` removed: a part is removable when the object without it shows no
 * new issue at that part or above it (which a required field or a too-short list would).
 */
function dropAt(schema: z.ZodType, value: unknown, path: Path, before: readonly z.core.$ZodIssue[]) {
  for (let depth = path.length; depth >= 1; depth--) {
    const prefix = path.slice(0, depth)
    const candidate = withoutPart(value, prefix)
    if (candidate === undefined) continue
    const after = schema.safeParse(candidate)
    if (after.success) return { value: candidate, path: prefix }
    // Issues at the removed part or above it, other than the one being fixed: a required field or a too-short list
    // shows up there after the removal.
    const atOrAbove = (issues: readonly z.core.$ZodIssue[]) => issues.filter((issue) => isPrefix(issue.path, prefix))
    const remaining = atOrAbove(before).filter((issue) => !pathsEqual(issue.path, path)).length
    if (atOrAbove(after.error.issues).length <= remaining) return { value: candidate, path: prefix }
  }
  return undefined
}

/** A copy of `value` without the field or list element at `path`; undefined when there is nothing there. */
function withoutPart(value: unknown, path: Path): unknown {
  const copy = structuredClone(value)
  let parent: unknown = copy
  for (const key of path.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') return undefined
    parent = (parent as Record<PropertyKey, unknown>)[key as string]
  }
  const last = path[path.length - 1]
  if (Array.isArray(parent) && typeof last === 'number' && last < parent.length) {
    parent.splice(last, 1)
    return copy
  }
  if (parent !== null && typeof parent === 'object' && !Array.isArray(parent) && Object.hasOwn(parent, last as string)) {
    delete (parent as Record<PropertyKey, unknown>)[last as string]
    return copy
  }
  return undefined
}

const isPrefix = (path: Path, prefix: Path) => path.length <= prefix.length && path.every((key, index) => key === prefix[index])
const pathsEqual = (a: Path, b: Path) => a.length === b.length && isPrefix(a, b)
const pathText = (path: Path) => path.map(String).join('.')
