import { describe, expect, it } from 'vitest'
import { a, b } from './harness'

describe('two running platforms', () => {
  it('both serve OCPI and refuse an unknown token with 401', async () => {
    for (const platform of [a, b]) {
      const response = await platform.ocpi('GET', '/ocpi/versions', { token: 'nope' })
      expect(response.status).toBe(401)
      expect(response.body.status_code).toBe(2000)
    }
  })
})
