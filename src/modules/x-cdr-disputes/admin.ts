import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AdminEnv } from '../../admin/context'
import { parseWith, readJson } from '../../ocpi/body'
import { OcpiError } from '../../ocpi/errors'
import { DisputeReason, type CdrDispute } from '../../ocpi/objects/cdr-dispute'
import { OcpiString } from '../../ocpi/types'
import { findHostedParty } from '../../peers/parties'
import { partyInPath } from '../../peers/routing'
import { creditCdrIds } from '../cdrs/settlement-store'
import { getCdr } from '../cdrs/store'
import { publishDispute } from './push'
import { disputeOutcome } from './state'
import { findDisputes, getDispute, putDispute } from './store'

const DisputeBody = z.object({ reason: DisputeReason, text: OcpiString(512).min(1) })
const Source = z.object({ source: z.enum(['own', 'received']).default('received') })

/**
 * MSP side: dispute (PUT) or withdraw (DELETE) a dispute of a received CDR, sent to the CPO peer that sent it.
 * Both sides: GET the dispute of a CDR and its state (`source=received` on the MSP, `source=own` on the CPO).
 */
export const admin = new Hono<AdminEnv>()
  .put('/cdrs/:country_code/:party_id/:cdr_id/dispute', async (c) => {
    const body = parseWith(DisputeBody, await readJson(c))
    return c.json(await raise(c, { ...body, state: 'OPEN' }))
  })
  .delete('/cdrs/:country_code/:party_id/:cdr_id/dispute', async (c) => {
    const held = await getDispute(c.get('db'), 'own', cdrRef(c))
    if (!held) throw new OcpiError(2003, `No dispute of CDR ${c.req.param('cdr_id')}`)
    return c.json(await raise(c, { reason: held.reason, text: held.text, state: 'WITHDRAWN' }))
  })
  .get('/cdrs/:country_code/:party_id/:cdr_id/dispute', async (c) => {
    const { source } = parseWith(Source, c.req.query())
    const ref = cdrRef(c)
    const stored = await getCdr(c.get('db'), source, ref)
    if (!stored) throw new OcpiError(2003, `Unknown ${source} CDR ${ref.id}`)
    // The MSP's dispute is its own where it received the CDR, a received one where the CDR was issued.
    const [dispute] = await findDisputes(c.get('db'), source === 'received' ? 'own' : 'received', [{ ...ref, id: stored.cdr.id }])
    if (!dispute) throw new OcpiError(2003, `No dispute of CDR ${ref.id}`)
    return c.json({ dispute, ...disputeOutcome(dispute, await creditCdrIds(c.get('db'), source, ref, stored.cdr.id)) })
  })

const cdrRef = (c: Context<AdminEnv>) => ({ ...partyInPath(c), id: c.req.param('cdr_id')! })

/** Stores a hosted MSP's dispute of a CDR it received and sends it to the CPO peer the CDR came from. */
async function raise(c: Context<AdminEnv>, fields: Pick<CdrDispute, 'reason' | 'text' | 'state'>) {
  const ref = cdrRef(c)
  const stored = await getCdr(c.get('db'), 'received', ref)
  if (!stored || !stored.peer_id) throw new OcpiError(2003, `Unknown received CDR ${ref.id}`)
  const msp = { country_code: stored.cdr.cdr_token.country_code.toUpperCase(), party_id: stored.cdr.cdr_token.party_id.toUpperCase() }
  if (!(await findHostedParty(c.get('db'), msp, 'EMSP'))) throw new OcpiError(2003, `${msp.country_code}*${msp.party_id} is not an MSP hosted here`)
  const dispute: CdrDispute = {
    country_code: ref.country_code, party_id: ref.party_id, cdr_id: stored.cdr.id,
    msp_country_code: msp.country_code, msp_party_id: msp.party_id, ...fields, last_updated: new Date().toISOString(),
  }
  await putDispute(c.get('db'), 'own', dispute)
  await publishDispute(c.env, stored.peer_id, dispute)
  return { dispute, ...disputeOutcome(dispute, await creditCdrIds(c.get('db'), 'received', ref, stored.cdr.id)) }
}
