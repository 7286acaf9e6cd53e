import type { Database } from '../../db/client'
import type { GdprRequestKind, GdprRequestStatus } from '../../db/schema'
import type { Env } from '../../env'
import { OcpiError } from '../../ocpi/errors'
import { requestPeerModule } from '../../peers/module-request'
import { getPeer, type Peer } from '../../peers/store'
import { auditGdpr } from './audit'
import { pseudonymOf } from './pseudonym'
import { GdprErasureAnswer, GdprExportAnswer, type GdprSubject } from './schema'
import { completeGdprRequest, createGdprRequest, type GdprRequestRow } from './store'

const ANSWERS = { ACCESS: GdprExportAnswer, FORGET: GdprErasureAnswer } as const

/**
 * eMSP side: asks a peer holding data about one of our tokens for access or erasure, records the request and the
 * peer's answer. The request is sent from the token's party (OCPI-from), which must be hosted here.
 */
export async function sendGdprRequest(db: Database, env: Env, peerId: string, kind: GdprRequestKind, subject: GdprSubject): Promise<GdprRequestRow> {
  const peer = await getPeer(db, peerId)
  if (!peer) throw OcpiError.unknownObject(`peer ${peerId}`)
  const request = await createGdprRequest(db, peerId, kind, subject)
  const outcome = await ask(env, peer, kind, subject, request.id)
  const row = await completeGdprRequest(db, request.id, outcome)
  await auditGdpr(db, {
    actor: 'admin', action: 'gdpr.request.sent', pseudonym: await pseudonymOf(env.GDPR_PSEUDONYM_KEY, subject),
    detail: { peer_id: peerId, kind, request_id: request.id, outcome: outcome.status, status_code: outcome.status_code },
  })
  return row
}

async function ask(env: Env, peer: Peer, kind: GdprRequestKind, subject: GdprSubject, requestId: string) {
  try {
    const response = await requestPeerModule(env, peer, {
      module: 'x-gdpr', role: 'RECEIVER', method: 'POST',
      path: [subject.country_code, subject.party_id, subject.uid, kind === 'ACCESS' ? 'access' : 'forget'],
      query: { type: subject.type },
      body: { request_id: requestId },
      from: { country_code: subject.country_code, party_id: subject.party_id },
    })
    if (response.status_code !== 1000) {
      const status: GdprRequestStatus = response.status_code >= 2000 && response.status_code < 3000 ? 'REJECTED' : 'FAILED'
      return { status, status_code: response.status_code, status_message: response.status_message }
    }
    const parsed = ANSWERS[kind].safeParse(response.data)
    if (!parsed.success) return { status: 'FAILED' as const, status_code: 3001, status_message: `The peer answered an invalid ${kind.toLowerCase()} result: ${parsed.error.issues[0]?.message ?? 'no detail'}` }
    return { status: 'COMPLETED' as const, status_code: 1000, status_message: response.status_message, result: parsed.data }
  } catch (error) {
    if (!(error instanceof OcpiError)) throw error
    return { status: 'FAILED' as const, status_code: error.status_code, status_message: error.message }
  }
}
