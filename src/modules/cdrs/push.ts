import type { Database } from '../../db/client'
import type { Env } from '../../env'
import { wireBodies } from '../../ocpi/version-adapters'
import { publish } from '../../push/publish'
import { tokenPartyAudience } from './routing'
import { type CDR } from '../../ocpi/objects/cdr'
import { cdrVersions } from '../../ocpi/objects/version-maps'

/**
 * Posts a hosted CPO's CDR to the peers representing the token's eMSP ("A CPO is not required to send all CDRs to all
 * eMSPs").
 */
export async function publishCdr(env: Env, db: Database, cdr: CDR) {
  const from = { country_code: cdr.country_code.toUpperCase(), party_id: cdr.party_id.toUpperCase() }
  return publish(env, {
    module: 'cdrs',
    method: 'POST',
    path: [],
    bodies: wireBodies(cdrVersions, cdr),
    from,
    objectKey: `cdrs/${from.country_code}/${from.party_id}/${cdr.id}`,
  }, await tokenPartyAudience(db, cdr.cdr_token))
}
