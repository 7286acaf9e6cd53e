import { z } from 'zod'
import { invalid } from '../ocpi/errors'

/**
 * Whose copies a management list shows (`?source=`): `own` (the objects of hosted parties), `received` (from any peer)
 * or the id of one peer (what that peer sent). Every object table stores this the same way (docs/architecture.md,
 * "Whose copy an object is"), so every list takes the same parameter.
 */
export interface SourceFilter { source: 'own' | 'received'; peerId?: string }

export const SourceParam = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'Must be own, received or a peer id')
  .transform((value): SourceFilter => (value === 'own' || value === 'received' ? { source: value } : { source: 'received', peerId: value }))

/** `?source=`, or `fallback` when absent; anything else is 2001 at `source`. */
export function sourceQuery(value: string | undefined, fallback: SourceFilter): SourceFilter
export function sourceQuery(value: string | undefined, fallback: undefined): SourceFilter | undefined
export function sourceQuery(value: string | undefined, fallback: SourceFilter | undefined): SourceFilter | undefined {
  if (!value) return fallback
  const result = SourceParam.safeParse(value)
  if (!result.success) throw invalid('source', 'must be own, received or a peer id')
  return result.data
}
