import { expect, it } from 'vitest'
import { DEMO_TOKENS, seedTokens } from '../../../scripts/seed/tokens.mjs'
import { adminFetch } from '../../ocpi/fixtures'

it('the demo tokens of DE*VMS are accepted and cover every whitelist type, an invalid card and a DE/AT-only card', async () => {
  await adminFetch('/parties', { method: 'POST', body: { country_code: 'DE', party_id: 'VMS', role: 'EMSP', business_details: { name: 'VoltMobility' } } })
  await seedTokens(async (method: string, path: string, body: unknown) => {
    const response = await adminFetch(path, { method, body })
    expect(response.status, await response.clone().text()).toBe(200)
  })
  const own = await (await adminFetch('/tokens?party=DE*VMS&source=own')).json<any[]>()
  expect(own).toHaveLength(DEMO_TOKENS.length)
  expect(new Set(own.map((token) => token.whitelist))).toEqual(new Set(['ALWAYS', 'ALLOWED', 'ALLOWED_OFFLINE', 'NEVER']))
  expect(new Set(own.map((token) => token.type))).toEqual(new Set(['RFID', 'APP_USER', 'AD_HOC_USER', 'EMAID']))
  expect(own.filter((token) => !token.valid)).toHaveLength(1)
  expect(own.find((token) => token.allowed_countries)?.allowed_countries).toEqual(['DE', 'AT'])
})
