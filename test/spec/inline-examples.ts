// OCPI 2.1.1 publishes its examples inline in the Markdown text (test/fixtures/spec/README.md). Each fixture is one
// code block, copied as it is; some begin with the request they belong to ("PUT To URL: ...") and some are a member
// of a larger object ("energy_mix": {...}). This reads such a block as the JSON value it shows.

const REQUEST_LINE = /^(GET|POST|PUT|PATCH|DELETE) To URL: \S+\s*\n/

export type InlineExample = { json: unknown } | { error: string }

export function readInlineExample(text: string): InlineExample {
  const body = text.replace(REQUEST_LINE, '').trim()
  // A member ("name": value) is read as the one-member object it would be part of.
  const source = body.startsWith('"') ? `{${body}}` : body
  try {
    return { json: JSON.parse(source) }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

/** The paths where two JSON values differ, list indices left out (`evses.connectors.voltage`), sorted and unique. */
export function differingPaths(left: unknown, right: unknown, path: string[] = []): string[] {
  const at = path.join('.')
  if (Object.is(left, right)) return []
  const bothArrays = Array.isArray(left) && Array.isArray(right)
  const bothObjects = !bothArrays && isObject(left) && isObject(right)
  if (bothArrays && left.length === right.length) return unique(left.flatMap((item, index) => differingPaths(item, right[index], path)))
  if (bothObjects) {
    const keys = new Set([...Object.keys(left), ...Object.keys(right)])
    return unique([...keys].flatMap((key) => differingPaths(left[key], right[key], [...path, key])))
  }
  return [at]
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const unique = (paths: string[]) => [...new Set(paths)].sort()
