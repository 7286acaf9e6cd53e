import cdrExample from '../../fixtures/spec/2.3.0/examples/cdr_example.json'

export type Party = { country_code: string; party_id: string }

/** The spec's CDR example, owned by `cpo`, for a token of `emsp`, with `fields` on top. */
export const cdrOf = (cpo: Party, emsp: Party, id: string, fields: Record<string, unknown> = {}) => ({
  ...cdrExample, ...cpo, id, cdr_token: { ...cdrExample.cdr_token, ...emsp, uid: `UID-${id}` }, ...fields,
})

/** A peer's CDRs Receiver endpoint, for `registeredPeer({ fields: { endpoints } })`. */
export const cdrsReceiver = (host: string, version: string) => ({ identifier: 'cdrs', role: 'RECEIVER' as const, url: `https://${host}/ocpi/${version}/receiver/cdrs` })
