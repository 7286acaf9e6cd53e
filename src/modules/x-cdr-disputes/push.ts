import type { Env } from '../../env'
import type { CdrDispute } from '../../ocpi/objects/cdr-dispute'
import { publishTo } from '../../push/publish'
import { X_CDR_DISPUTES } from './module-id'

/**
 * PUTs a hosted MSP's dispute to the CPO peer that sent the CDR. The outbox looks the peer's endpoint up through the
 * extension agreement, so a peer that did not agree to x-cdr-disputes is never called.
 */
export async function publishDispute(env: Env, peerId: string, dispute: CdrDispute) {
  const ids = [dispute.country_code.toUpperCase(), dispute.party_id.toUpperCase(), dispute.cdr_id]
  await publishTo(env, peerId, {
    module: X_CDR_DISPUTES,
    method: 'PUT',
    path: ids,
    bodies: { '2.2.1': dispute, '2.3.0': dispute },
    from: { country_code: dispute.msp_country_code.toUpperCase(), party_id: dispute.msp_party_id.toUpperCase() },
    objectKey: `${X_CDR_DISPUTES}/${ids.join('/')}`,
  }, { country_code: ids[0]!, party_id: ids[1]! })
}
