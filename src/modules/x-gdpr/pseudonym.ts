import { toHex } from '../../ocpi/urls'
import { OcpiError } from '../../ocpi/errors'
import type { GdprSubject } from './schema'

const encoder = new TextEncoder()

/**
 * The keyed pseudonym of a token: HMAC-SHA256 over CC*PID*UID (upper-cased: all three are CiStrings), keyed with the
 * secret GDPR_PSEUDONYM_KEY. Deterministic, so every record of one token keeps pointing at the same stand-in (a disputed
 * invoice can still be matched by whoever is told the pseudonym), and without the key it cannot be recomputed from a uid.
 * 36 characters: fits Token.uid and Token.contract_id (CiString(36)).
 */
export async function pseudonymOf(key: string | undefined, subject: Pick<GdprSubject, 'country_code' | 'party_id' | 'uid'>): Promise<string> {
  if (!key) throw new OcpiError(3000, 'GDPR_PSEUDONYM_KEY is not configured on this platform')
  const hmacKey = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const message = `${subject.country_code}*${subject.party_id}*${subject.uid}`.toUpperCase()
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, encoder.encode(message)))
  return `GDPR-${toHex(mac).slice(0, 31).toUpperCase()}`
}
