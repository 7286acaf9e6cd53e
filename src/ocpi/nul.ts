import { OcpiError } from './errors'

/**
 * NUL (U+0000) is in no OCPI string type (CiString is printable ASCII; string is UTF-8 text) and truncates or breaks
 * text in many stores and logs downstream. Refused in any string of a body, values and keys alike: 2001 with the path.
 */
export function rejectNulCharacters(value: unknown, path: (string | number)[] = []): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new OcpiError(2001, `${path.join('.') || 'body'}: NUL character not allowed`, { path: path.join('.') })
    return
  }
  if (Array.isArray(value)) return value.forEach((item, index) => rejectNulCharacters(item, [...path, index]))
  if (value === null || typeof value !== 'object') return
  for (const [key, child] of Object.entries(value)) {
    if (key.includes('\u0000')) throw new OcpiError(2001, `${[...path, JSON.stringify(key)].join('.')}: NUL character not allowed in a key`, { path: path.join('.') })
    rejectNulCharacters(child, [...path, key])
  }
}
