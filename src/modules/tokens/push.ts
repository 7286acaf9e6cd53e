import type { Env } from '../../env'
import type { OcpiVersion } from '../../ocpi/versions'
import { publish } from '../../push/publish'
import type { PushAudience } from '../../push/types'
import { ALLOWED_COUNTRIES_FIELD, isTokenTypeIn221, type Token, type TokenPatch } from '../../ocpi/objects/token'
import { tokenToWire } from '../../ocpi/objects/version-maps'

/** Tokens go to every connected CPO peer (a hub passes them on), addressed to one of its CPOs: their cache is per platform. */
export const cpoAudience: PushAudience = (peer) => {
  const role = peer.roles.find((candidate) => candidate.role === 'CPO') ?? peer.roles.find((candidate) => candidate.role === 'HUB')
  return role ? { country_code: role.country_code, party_id: role.party_id } : undefined
}

/** Queues a PUT of a hosted eMSP's token for its CPO peers; returns the peers it was queued for. */
export function publishTokenPut(env: Env, token: Token, allowedCountries: string[] | null, revision?: number) {
  return publishToken(env, 'PUT', token, putBodies(token, allowedCountries), revision)
}

const putBodies = (token: Token, allowedCountries: string[] | null) => ({
  '2.3.0': tokenToWire('2.3.0', token, allowedCountries),
  ...(isTokenTypeIn221(token.type) ? { '2.2.1': tokenToWire('2.2.1', token) } : {}),
})

/**
 * Queues a PATCH (the changed fields and last_updated) of `token` as committed at `revision`; `allowedCountries` when
 * the patch changed them. It carries the whole token, which the outbox sends instead when it cannot place the PATCH.
 */
export function publishTokenPatch(env: Env, stored: { token: Token; allowed_countries: string[] | null }, patch: TokenPatch, allowedCountries: { value: string[] | null } | undefined, revision: number) {
  const { token } = stored
  return publishToken(env, 'PATCH', token, {
    '2.3.0': allowedCountries ? { ...patch, [ALLOWED_COUNTRIES_FIELD]: allowedCountries.value } : patch,
    ...(isTokenTypeIn221(token.type) ? { '2.2.1': patch } : {}),
  }, revision, putBodies(token, stored.allowed_countries))
}

async function publishToken(env: Env, method: 'PUT' | 'PATCH', token: Token, bodies: Partial<Record<OcpiVersion, unknown>>, revision?: number, whole?: Partial<Record<OcpiVersion, unknown>>): Promise<string[]> {
  // 2.3.0 TokenType: "The eMSP is RECOMMENDED to not push Tokens with type EMAID at all": the EMAID names its issuer,
  // so CPOs authorize it in real time. It stays available to a CPO that pulls the list.
  if (token.type.toUpperCase() === 'EMAID') return []
  const path = [token.country_code, token.party_id, token.uid]
  return publish(env, {
    module: 'tokens',
    method,
    path,
    query: { type: token.type },
    bodies,
    from: { country_code: token.country_code, party_id: token.party_id },
    // uid and type identify a token: queued pushes of one coalesce, never those of a same-uid token of another type.
    objectKey: `tokens/${path.join('/')}/${token.type}`.toUpperCase(),
    version: revision,
    snapshot: whole && { path, bodies: whole },
  }, cpoAudience)
}
