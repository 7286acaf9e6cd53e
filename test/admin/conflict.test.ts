import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { AdminEnv } from '../../src/admin/context'
import { toAdminResponse } from '../../src/admin/errors'
import { CAS_ATTEMPTS, retryOnConflict, WriteConflict } from '../../src/db/conflict'
import { adminFetch } from '../ocpi/fixtures'
import { uniquePartyId } from '../party-ids'

// A write that lost a race with another write is a conflict the client may retry (HTTP 409), never a server error.

describe('concurrent-write conflicts on the management API', () => {
  it('gives up a compare-and-swap loop after its attempts with a WriteConflict', async () => {
    let attempts = 0
    await expect(retryOnConflict('Thing 1', async () => void attempts++)).rejects.toBeInstanceOf(WriteConflict)
    expect(attempts).toBe(CAS_ATTEMPTS)
  })

  it('answers HTTP 409 for a WriteConflict and for a key another writer took first', async () => {
    const app = new Hono<AdminEnv>()
      .get('/cas', () => { throw new WriteConflict('Location L1') })
      .get('/unique', () => { throw new Error('Failed query: insert into "parties" ...', { cause: new Error('D1_ERROR: UNIQUE constraint failed: parties.country_code: SQLITE_CONSTRAINT') }) })
      .onError(toAdminResponse)
    const cas = await app.request('/cas')
    expect(cas.status).toBe(409)
    expect(await cas.json()).toEqual({ error: { code: 3000, message: 'Location L1 is being changed concurrently; try again' } })
    expect((await app.request('/unique')).status).toBe(409)
  })

  it('answers 201 to one of ten parallel requests adding the same party and 409 to the others', async () => {
    const party = { country_code: 'NL', party_id: uniquePartyId(), role: 'CPO', business_details: { name: 'Same' } }
    const statuses = await Promise.all(Array.from({ length: 10 }, async () => (await adminFetch('/parties', { method: 'POST', body: party })).status))
    expect(statuses.filter((status) => status === 201)).toHaveLength(1)
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true)
  })
})
