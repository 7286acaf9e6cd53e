import type { Database } from '../../db/client'
import type { Env } from '../../env'
import { samePartyRef, type PartyRef } from '../../ocpi/context'
import { OcpiError } from '../../ocpi/errors'
import { listHostedParties } from '../../peers/parties'
import { getPeer, type Peer } from '../../peers/store'
import { pullTokenPages, tokensSenderOf } from './emsp-client'
import { putReceivedTokens } from './store'

export interface TokenSyncReport {
  peer_id: string
  parties: { country_code: string; party_id: string; pages: number; received: number; stored: number; rejected: number }[]
}

/**
 * Pull model (mod_tokens): fetch every token of each eMSP the peer represents and cache the ones newer than ours.
 * One GET series per eMSP party, addressed with OCPI-to, since a platform answers for one hosted eMSP at a time.
 */
export async function syncTokensFromPeer(env: Env, db: Database, peerId: string, options: { emsp?: PartyRef; date_from?: string; limit?: number } = {}): Promise<TokenSyncReport> {
  const peer = await getPeer(db, peerId)
  if (!peer) throw new OcpiError(2003, `Unknown peer ${peerId}`, { http_status: 404 })
  const sender = tokensSenderOf(peer)
  if (!sender) throw new OcpiError(2000, `Peer ${peerId} offers no tokens SENDER endpoint we can call`, { http_status: 409 })
  const from = await anyHostedCpo(db)
  const emsps = emspPartiesOf(peer).filter((party) => !options.emsp || samePartyRef(party, options.emsp))
  const report: TokenSyncReport = { peer_id: peerId, parties: [] }
  for (const emsp of emsps) {
    const counts = { ...emsp, pages: 0, received: 0, stored: 0, rejected: 0 }
    for await (const page of pullTokenPages(sender, { from, to: emsp, date_from: options.date_from, limit: options.limit, timeoutMs: Number(env.OCPI_CLIENT_TIMEOUT_MS) || 10_000 })) {
      // A peer may only tell us about tokens of parties it represents (a hub represents many).
      const ours = page.tokens.filter(({ token }) => representsOwner(peer, token))
      counts.pages++
      counts.received += page.tokens.length + page.rejected
      counts.rejected += page.rejected + page.tokens.length - ours.length
      counts.stored += await putReceivedTokens(db, peer.id, ours)
    }
    report.parties.push(counts)
  }
  return report
}

function emspPartiesOf(peer: Peer): PartyRef[] {
  const seen = new Map<string, PartyRef>()
  for (const role of peer.roles) {
    if (role.role === 'EMSP') seen.set(`${role.country_code}*${role.party_id}`.toUpperCase(), { country_code: role.country_code.toUpperCase(), party_id: role.party_id.toUpperCase() })
  }
  return [...seen.values()]
}

function representsOwner(peer: Peer, owner: PartyRef): boolean {
  return peer.roles.some((role) => role.role === 'HUB' || samePartyRef(role, owner))
}

/** The tokens cache is platform-wide: any hosted CPO may ask (OCPI-from). */
async function anyHostedCpo(db: Database): Promise<PartyRef> {
  const cpo = (await listHostedParties(db)).find((party) => party.role === 'CPO')
  if (!cpo) throw new OcpiError(2000, 'This platform hosts no CPO: tokens are pulled by CPOs', { http_status: 409 })
  return { country_code: cpo.country_code, party_id: cpo.party_id }
}
