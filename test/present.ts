/** The value a test expects to be there (an array head, a regex group, a recorded request), or a failure naming it. */
export function present<T>(value: T | null | undefined, what = 'value'): T {
  if (value === undefined || value === null) throw new Error(`expected ${what} to be present`)
  return value
}
