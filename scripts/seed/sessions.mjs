// A finished charging session and its CDR: a VoltMobility (DE*VMS) driver charged with card 04A2B3C4D5E680 at the
// EcoCharge (NL*ECO) station Amsterdam Centraal P+R, then stayed parked half an hour. Written through the management
// API, so both are pushed to the eMSP's platform when it is a connected peer. Fixed ids and timestamps keep re-seeding
// idempotent (the CDR's second POST answers 409, which the seed accepts). See docs/sessions-cdrs.md.

const ECO = { country_code: 'NL', party_id: 'ECO' }
const cdr_token = { country_code: 'DE', party_id: 'VMS', uid: '04A2B3C4D5E680', type: 'RFID', contract_id: 'DE-VMS-C00000017-A' }
const vat = (before_taxes) => ({ before_taxes, taxes: [{ name: 'VAT', percentage: 21, amount: Math.round(before_taxes * 21) / 100 }] })

const charging_periods = [
  { start_date_time: '2026-01-12T08:00:00Z', dimensions: [{ type: 'ENERGY', volume: 10.5 }, { type: 'MAX_POWER', volume: 11 }, { type: 'TIME', volume: 1 }] },
  { start_date_time: '2026-01-12T09:00:00Z', dimensions: [{ type: 'PARKING_TIME', volume: 0.5 }] },
]

export const DEMO_SESSION = {
  ...ECO, id: 'ECO-S-0001', start_date_time: '2026-01-12T08:00:00Z', end_date_time: '2026-01-12T09:30:00Z', kwh: 10.5, cdr_token,
  auth_method: 'WHITELIST', location_id: 'ECO-0001', evse_uid: 'E0001-1', connector_id: '1', meter_id: 'ECO-M-E0001-1', currency: 'EUR',
  charging_periods, total_cost: vat(5.1), status: 'COMPLETED', last_updated: '2026-01-12T09:30:05Z',
}

export const DEMO_CDR = {
  ...ECO, id: 'ECO-CDR-0001', start_date_time: DEMO_SESSION.start_date_time, end_date_time: DEMO_SESSION.end_date_time, session_id: DEMO_SESSION.id,
  cdr_token, auth_method: 'WHITELIST',
  cdr_location: {
    id: 'ECO-0001', name: 'Amsterdam Centraal P+R', address: 'Stationsplein 10', city: 'Amsterdam', postal_code: '1012 AB', country: 'NLD',
    coordinates: { latitude: '52.378901', longitude: '4.900272' }, evse_uid: 'E0001-1', evse_id: 'NL*ECO*E0001*1', connector_id: '1',
    connector_standard: 'IEC_62196_T2', connector_format: 'SOCKET', connector_power_type: 'AC_3_PHASE',
  },
  meter_id: DEMO_SESSION.meter_id, currency: 'EUR', charging_periods,
  total_cost: vat(5.1), total_energy: 10.5, total_energy_cost: vat(4.1), total_time: 1.5, total_parking_time: 0.5, total_parking_cost: vat(1),
  last_updated: '2026-01-12T09:35:00Z',
}

export async function seedSessions(admin) {
  await admin('PUT', `/sessions/${ECO.country_code}/${ECO.party_id}/${DEMO_SESSION.id}`, DEMO_SESSION)
  await admin('POST', `/cdrs/${ECO.country_code}/${ECO.party_id}`, DEMO_CDR)
}
