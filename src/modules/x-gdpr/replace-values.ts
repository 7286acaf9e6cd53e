/**
 * Replaces every string value (at any depth, keys untouched) equal to one of `identifiers`, in any letter case
 * (identifiers are CiStrings), by `pseudonym`. Pure: used on queued push bodies, which hold whole OCPI objects.
 */
export function replaceIdentifierValues<T>(value: T, identifiers: readonly string[], pseudonym: string): { value: T; replaced: number } {
  const wanted = new Set(identifiers.map((identifier) => identifier.toUpperCase()))
  let replaced = 0
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      if (!wanted.has(node.toUpperCase())) return node
      replaced++
      return pseudonym
    }
    if (Array.isArray(node)) return node.map(walk)
    if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child)]))
    return node
  }
  const result = walk(value) as T
  return { value: result, replaced }
}
