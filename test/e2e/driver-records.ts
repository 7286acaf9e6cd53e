import { unique } from './harness'

// Bodies for the management API (2.3.0 shapes) of one driver's token, session and CDR, shared by the x-gdpr and
// x-token-migration end-to-end tests.

export interface PartyRef { country_code: string; party_id: string }

export const partyId = () => unique('').slice(0, 3)

export function driverToken(emsp: PartyRef, uid = unique('RFID'), whitelist: 'ALWAYS' | 'ALLOWED' = 'ALWAYS') {
  return { ...emsp, uid, type: 'RFID', contract_id: `${emsp.country_code}-${emsp.party_id}-C${unique('')}`, issuer: 'E2E eMSP', valid: true, whitelist }
}

/** The token fields a CdrToken carries. */
export type TokenIdentity = Pick<ReturnType<typeof driverToken>, 'country_code' | 'party_id' | 'uid' | 'type' | 'contract_id'>

export const cdrTokenOf = (token: TokenIdentity) => ({ country_code: token.country_code, party_id: token.party_id, uid: token.uid, type: token.type, contract_id: token.contract_id })

export function activeSession(token: ReturnType<typeof driverToken>, start = '2026-03-01T10:00:00Z') {
  return {
    start_date_time: start, kwh: 0, cdr_token: cdrTokenOf(token), auth_method: 'WHITELIST', location_id: 'LOC1', evse_uid: 'EVSE1',
    connector_id: '1', currency: 'EUR', status: 'ACTIVE', last_updated: start,
  }
}

export function cdrOf(cpo: PartyRef, token: TokenIdentity, sessionId: string, id = unique('CDR')) {
  return {
    id, start_date_time: '2026-03-01T10:00:00Z', end_date_time: '2026-03-01T10:30:00Z', session_id: sessionId, cdr_token: cdrTokenOf(token),
    auth_method: 'WHITELIST',
    cdr_location: {
      id: 'LOC1', address: 'Stationsplein 1', city: 'Amsterdam', country: 'NLD', coordinates: { latitude: '52.378901', longitude: '4.900272' },
      evse_uid: 'EVSE1', evse_id: `NL*${cpo.party_id}*E1`, connector_id: '1', connector_standard: 'IEC_62196_T2', connector_format: 'SOCKET', connector_power_type: 'AC_3_PHASE',
    },
    currency: 'EUR',
    charging_periods: [{ start_date_time: '2026-03-01T10:00:00Z', dimensions: [{ type: 'ENERGY', volume: 7 }] }],
    total_cost: { before_taxes: 2.8, taxes: [{ name: 'VAT', amount: 0.59 }] }, total_energy: 7, total_time: 0.5,
  }
}

/** Polls `read` until `done` holds (expect.poll only works inside a test, this also in beforeAll). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting; last value: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** uids of the tokens a platform holds for a party (own or received). */
export async function tokenUids(platform: { admin: (method: string, path: string) => Promise<any> }, party: PartyRef, source: 'own' | 'received'): Promise<string[]> {
  return (await platform.admin('GET', `/tokens?source=${source}&party=${party.country_code}*${party.party_id}`)).map((token: { uid: string }) => token.uid)
}
