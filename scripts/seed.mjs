// Demo data for `npm start`, written through the management API only, so it exercises what users use. Idempotent.
import { seedLocations } from './seed/locations.mjs'
import { seedLoopback } from './seed/loopback.mjs'
import { seedSessions } from './seed/sessions.mjs'
import { seedTariffs } from './seed/tariffs.mjs'
import { seedTokens } from './seed/tokens.mjs'

/** A CPO and an eMSP with realistic business details, hosted on one platform. */
export const DEMO_PARTIES = [
  {
    country_code: 'NL', party_id: 'ECO', role: 'CPO',
    business_details: { name: 'EcoCharge Netherlands B.V.', website: 'https://ecocharge.example.nl', logo: { url: 'https://ecocharge.example.nl/logo.png', category: 'OPERATOR', type: 'png', width: 512, height: 512 } },
  },
  {
    country_code: 'DE', party_id: 'VMS', role: 'EMSP',
    business_details: { name: 'VoltMobility Services GmbH', website: 'https://voltmobility.example.de' },
  },
]

/** Further seed steps (locations, tariffs, tokens...) register here: each gets (admin) and must be idempotent. */
export const seedSteps = [seedLocations, seedTariffs, seedTokens, seedSessions, seedLoopback]

export async function seedDemo(baseUrl, adminToken) {
  const admin = async (method, path, body) => {
    const response = await fetch(`${baseUrl}/admin/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    if (response.status >= 300 && response.status !== 409) throw new Error(`seed: ${method} ${path} -> ${response.status} ${text}`)
    return text ? JSON.parse(text) : undefined
  }
  for (const party of DEMO_PARTIES) await admin('POST', '/parties', party)
  for (const step of seedSteps) await step(admin)
}
