import { describe, expect, it } from 'vitest'
import { BusinessDetails } from '../../../src/ocpi/objects/business-details'
import { Credentials, Credentials221, credentialsFor } from '../../../src/ocpi/objects/credentials'
import { Location } from '../../../src/ocpi/objects/location'

// A 2.3.0 party may define its own image category (ImageCategory is an OpenEnum in 2.3.0).
const logo = { url: 'https://example.com/logo.png', category: 'BRAND_MARK', type: 'png', width: 512, height: 512 }
const businessDetails = { name: 'Example Energy', website: 'https://example.com', logo }
const credentials = {
  token: 'token-c', url: 'https://example.com/ocpi/versions',
  roles: [{ role: 'CPO', country_code: 'NL', party_id: 'EXA', business_details: businessDetails }],
}
const location = {
  country_code: 'NL', party_id: 'EXA', id: 'LOC1', publish: true, address: 'Street 1', city: 'Town', country: 'NLD',
  coordinates: { latitude: '52.00000', longitude: '4.00000' }, time_zone: 'Europe/Amsterdam', operator: businessDetails,
  last_updated: '2026-01-01T00:00:00Z',
}

describe('BusinessDetails, one definition for every object that carries it', () => {
  it('accepts in a credentials role the image a location accepts', () => {
    expect(Location.safeParse(location).success).toBe(true)
    expect(Credentials.safeParse(credentials).success).toBe(true)
    expect(BusinessDetails.parse(businessDetails)).toEqual(businessDetails)
  })

  it('gives a 2.2.1 peer the closed-enum catch-all OTHER for a category 2.2.1 does not know', () => {
    const sent = credentialsFor('2.2.1', Credentials.parse(credentials)) as Credentials221
    expect(sent.roles[0]?.business_details.logo?.category).toBe('OTHER')
    expect(Credentials221.safeParse(sent).success).toBe(true)
    expect(Credentials221.safeParse(credentials).success).toBe(false)
  })
})
