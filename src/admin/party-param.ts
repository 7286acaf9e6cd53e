import { z } from 'zod'
import type { PartyRef } from '../ocpi/context'
import { invalid } from '../ocpi/errors'

/** A party written `CC*PID` (e.g. `NL*ECO`), as in the management API's `?party=`, normalized to upper case. */
export const PartyParam = z
  .string()
  .regex(/^[A-Za-z]{2}\*[A-Za-z0-9]{3}$/, 'Must be CC*PID, e.g. NL*ECO')
  .transform((value): PartyRef => ({ country_code: value.slice(0, 2).toUpperCase(), party_id: value.slice(3).toUpperCase() }))

/** `?party=CC*PID`, or undefined when absent; anything else is 2001 at `party`. */
export function partyQuery(value: string | undefined): PartyRef | undefined {
  if (!value) return undefined
  const result = PartyParam.safeParse(value)
  if (!result.success) throw invalid('party', 'must be CC*PID, e.g. NL*ECO')
  return result.data
}
