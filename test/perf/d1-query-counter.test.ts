import { describe, expect, it } from 'vitest'
import { countedFetch, countingEnv } from '../d1-query-counter'
import { peerRepresenting } from '../modules/authenticated-peer'

describe('the D1 query counter', () => {
  it('counts statements on the binding, in batches and in sessions, and resets per request', async () => {
    const counting = countingEnv()
    await counting.env.DB.prepare('SELECT 1').first()
    await counting.env.DB.batch([counting.env.DB.prepare('SELECT ?').bind(1), counting.env.DB.prepare('SELECT 2')])
    await counting.env.DB.withSession('first-unconstrained').prepare('SELECT 3').all()
    expect(counting.cost()).toMatchObject({ d1: 3, statements: ['SELECT 1', 'SELECT ?', 'SELECT 2', 'SELECT 3'] })
    counting.reset()
    expect(counting.cost().d1).toBe(0)
  })

  it('counts what one request through the worker makes', async () => {
    const peer = await peerRepresenting([{ country_code: 'NL', party_id: 'QCA', role: 'CPO' }])
    const { response, cost } = await countedFetch(countingEnv(), '/ocpi/versions', { headers: { Authorization: `Token ${btoa(peer.token)}` } })
    expect(response.status).toBe(200)
    expect(cost.d1).toBe(1)
    expect(cost.statements[0]).toMatch(/credentials_tokens/)
  })
})
