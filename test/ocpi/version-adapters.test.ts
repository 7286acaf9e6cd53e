import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { fromWire, fromWireTolerant, type Owner, type VersionAdapters } from '../../src/ocpi/version-adapters'

// A wire shape without the owner's ids, as 2.1.1 objects are: the adapter takes them from the connection.
const Wire = z.object({ id: z.string(), note: z.string().optional() })
type Canonical = { country_code: string; party_id: string; id: string }
const toCanonical = (wire: z.infer<typeof Wire>, owner?: Owner): Canonical => ({ country_code: owner?.country_code ?? '', party_id: owner?.party_id ?? '', id: wire.id })
const fromCanonical = ({ id }: Canonical) => ({ id })
const adapters = {
  '2.3.0': { schema: Wire, toCanonical, fromCanonical },
  '2.2.1': { schema: Wire, toCanonical, fromCanonical },
} as VersionAdapters<Canonical>

describe('version adapters with an owner', () => {
  const owner = { country_code: 'NL', party_id: 'ABC' }

  it('fromWire hands the owner to toCanonical', () => {
    expect(fromWire(adapters, '2.3.0', { id: 'X' }, owner)).toEqual({ country_code: 'NL', party_id: 'ABC', id: 'X' })
  })

  it('fromWireTolerant hands the owner to toCanonical', () => {
    expect(fromWireTolerant(adapters, '2.2.1', { id: 'X', note: 5 }, owner)).toEqual({
      object: { country_code: 'NL', party_id: 'ABC', id: 'X' },
      dropped: [expect.stringMatching(/^note: /)],
      drops: [{ path: 'note', reason: expect.any(String) }],
    })
  })

  it('leaves the owner out where the caller has none, as before', () => {
    expect(fromWire(adapters, '2.3.0', { id: 'X' })).toEqual({ country_code: '', party_id: '', id: 'X' })
  })
})
