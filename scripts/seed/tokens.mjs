// Demo tokens of the hosted eMSP DE*VMS (VoltMobility Services), written through the management API: stored, then
// pushed to connected CPO peers. Fixed last_updated values keep re-seeding idempotent. See docs/tokens.md.

const VMS = { country_code: 'DE', party_id: 'VMS' }
const issuer = 'VoltMobility Services GmbH'

/** [token, owner-side rules] pairs: whitelist variety, one invalid card, one card limited to DE/AT, one EMAID. */
export const DEMO_TOKENS = [
  [{ uid: '04A2B3C4D5E680', type: 'RFID', contract_id: 'DE-VMS-C00000017-A', visual_number: 'VMS 0000 0017', issuer, group_id: 'VMS-GRP-0017',
    valid: true, whitelist: 'ALLOWED', language: 'de', default_profile_type: 'GREEN',
    energy_contract: { supplier_name: 'Stadtwerke Musterstadt', contract_id: 'SWM-4471120' }, last_updated: '2026-01-05T08:00:00Z' }, {}],
  // Key fob of the same driver: group_id ties it to the card, so a session started with one can be stopped with the other.
  [{ uid: '04F1E2D3C4B5A6', type: 'RFID', contract_id: 'DE-VMS-C00000017-A', visual_number: 'VMS FOB 0017', issuer, group_id: 'VMS-GRP-0017',
    valid: true, whitelist: 'ALLOWED_OFFLINE', language: 'de', last_updated: '2026-01-05T08:00:00Z' }, {}],
  [{ uid: '04C0FFEE123456', type: 'RFID', contract_id: 'DE-VMS-C00000029-4', visual_number: 'VMS FLEET 0029', issuer: 'Logistik Nord GmbH',
    valid: true, whitelist: 'ALWAYS', language: 'de', last_updated: '2026-01-06T09:30:00Z' }, {}],
  // Whitelisted, but only for charging in Germany and Austria (B3.1): the CPO side refuses it elsewhere.
  [{ uid: '04DAC4A7000001', type: 'RFID', contract_id: 'DE-VMS-C00000031-8', visual_number: 'VMS DACH 0031', issuer,
    valid: true, whitelist: 'ALWAYS', language: 'de', last_updated: '2026-01-06T10:00:00Z' }, { allowed_countries: ['DE', 'AT'] }],
  // A card reported lost: invalidated, never deleted (mod_tokens, "Push model").
  [{ uid: '04DEAD00BEEF01', type: 'RFID', contract_id: 'DE-VMS-C00000042-1', visual_number: 'VMS 0000 0042', issuer,
    valid: false, whitelist: 'ALLOWED', language: 'en', last_updated: '2026-01-07T14:12:00Z' }, {}],
  // App users: real-time only (mod_tokens recommends NEVER for APP_USER/AD_HOC_USER).
  [{ uid: 'a3c1e5f0-7b2d-4e8a-9c6f-1d2e3f4a5b6c', type: 'APP_USER', contract_id: 'DE-VMS-C00000055-6', issuer,
    valid: true, whitelist: 'NEVER', language: 'de', default_profile_type: 'CHEAP', last_updated: '2026-01-08T07:45:00Z' }, {}],
  [{ uid: 'b7d9f1a2-3c4e-4f6a-8b0c-2d4e6f8a0b1c', type: 'APP_USER', contract_id: 'DE-VMS-C00000063-2', issuer,
    valid: true, whitelist: 'NEVER', language: 'en', last_updated: '2026-01-08T07:50:00Z' }, { account_status: 'NO_CREDIT' }],
  [{ uid: 'e4f5a6b7-c8d9-4e0f-a1b2-c3d4e5f6a7b8', type: 'AD_HOC_USER', contract_id: 'DE-VMS-C00000070-9', issuer,
    valid: true, whitelist: 'NEVER', last_updated: '2026-01-09T18:20:00Z' }, {}],
  // ISO 15118 Plug & Charge (2.3.0): the EMAID names its issuer, so CPOs authorize it in real time without a push.
  [{ uid: 'DE-VMS-C12E46L89-3', type: 'EMAID', contract_id: 'DE-VMS-C12E46L89-3', issuer,
    valid: true, whitelist: 'NEVER', last_updated: '2026-01-10T12:00:00Z' }, {}],
]

export async function seedTokens(admin) {
  for (const [token, rules] of DEMO_TOKENS) {
    await admin('PUT', `/tokens/${VMS.country_code}/${VMS.party_id}/${encodeURIComponent(token.uid)}?type=${token.type}`, { ...VMS, ...token, ...rules })
  }
}
