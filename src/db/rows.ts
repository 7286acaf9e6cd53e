import { OcpiError } from '../ocpi/errors'

/**
 * The row a `… RETURNING` statement wrote. An INSERT without a conflict clause always writes one; an UPDATE by key
 * writes none when the key is gone (deleted meanwhile), which is the caller's "unknown object".
 */
export function returnedRow<T>([row]: readonly T[], what: string): T {
  if (row === undefined) throw OcpiError.unknownObject(what)
  return row
}
