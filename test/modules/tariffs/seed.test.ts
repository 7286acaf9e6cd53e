import { afterEach, expect, it } from 'vitest'
import { seedTariffs } from '../../../scripts/seed/tariffs.mjs'
import { adminFetch } from '../../ocpi/fixtures'
import { purgeTestOutboxes } from '../../push/fixtures'
import { json } from './fixtures'

afterEach(() => purgeTestOutboxes())

it('the demo tariffs of NL*ECO are accepted, and the AC tariff is published in EUR and BTC', async () => {
  await adminFetch('/parties', { method: 'POST', body: { country_code: 'NL', party_id: 'ECO', role: 'CPO', business_details: { name: 'EcoCharge' } } })
  await seedTariffs(async (method: string, path: string, body: unknown) => {
    const response = await adminFetch(path, { method, body })
    expect(response.status, await response.clone().text()).toBe(200)
  })
  const own = await json<Array<{ id: string; currency: string }>>(await adminFetch('/tariffs?party=NL*ECO&source=own'))
  expect(own.map(({ id, currency }) => `${id} ${currency}`).sort()).toEqual(['ECO-AC EUR', 'ECO-AC~BTC BTC', 'ECO-ADHOC EUR', 'ECO-DC EUR'])
})
