import { hubPartyOf } from '../../peers/hub-routing'
import { type Database } from '../../db/client'
import { databaseFor } from '../../db/shards'
import type { Env } from '../../env'
import { PermanentJobError, type JobKind } from '../../jobs/types'
import { samePartyRef, type PartyRef } from '../../ocpi/context'
import { OcpiError } from '../../ocpi/errors'
import { listHostedParties } from '../../peers/parties'
import { getPeer, type Peer } from '../../peers/store'
import { firstTokenPageUrl, pullTokenPage, tokensSenderOf } from './emsp-client'
import { putReceivedTokens } from './store'

// Pull model (mod_tokens): fetch every token of each eMSP the peer represents and cache the ones newer than ours.
// One GET series per eMSP party, addressed with OCPI-to, since a platform answers for one hosted eMSP at a time.
// An MSP may have a million tokens: the pull runs as a background job, one page per step (docs/jobs.md).

export const TOKEN_SYNC_JOB = 'tokens.sync'

export interface PartySyncCounts {
  country_code: string; party_id: string; pages: number; received: number; stored: number; rejected: number
  /** Why the peer's next link was not followed (src/peers/paged-pull.ts), when it was not. */
  stopped_by?: string
}

export interface TokenSyncState {
  peer_id: string
  /** Our CPO party asking (OCPI-from). */
  from: PartyRef
  /** The eMSP parties to pull, in order; `parties` holds the counts of those begun. */
  emsps: PartyRef[]
  parties: PartySyncCounts[]
  date_from?: string
  limit?: number
  /** The next page of the party being pulled (emsps[parties.length - 1]); null: start the next party. */
  next_url: string | null
  /** The pages of that party fetched last, so a Link that repeats one ends its pull. */
  recent?: string[]
}

/** Checks the peer can be pulled from (404 unknown, 409 without a tokens Sender or a hosted CPO) and returns the job's first state. */
export async function planTokenSync(db: Database, peerId: string, options: { emsp?: PartyRef; date_from?: string; limit?: number } = {}): Promise<TokenSyncState> {
  const peer = await getPeer(db, peerId)
  if (!peer) throw new OcpiError(2003, `Unknown peer ${peerId}`, { http_status: 404 })
  if (!tokensSenderOf(peer)) throw new OcpiError(2000, `Peer ${peerId} offers no tokens SENDER endpoint we can call`, { http_status: 409 })
  const from = await anyHostedCpo(db)
  const emsps = emspPartiesOf(peer).filter((party) => !options.emsp || samePartyRef(party, options.emsp))
  return { peer_id: peerId, from, emsps, parties: [], date_from: options.date_from, limit: options.limit, next_url: null }
}

export const tokenSyncJob: JobKind<TokenSyncState> = {
  async step(env, state) {
    const db = databaseFor(env)
    const peer = await getPeer(db, state.peer_id)
    if (!peer) throw new PermanentJobError(`Peer ${state.peer_id} was deleted`)
    const sender = tokensSenderOf(peer)
    // E.g. suspended, or mid re-registration: worth another try later.
    if (!sender) throw new OcpiError(2000, `Peer ${state.peer_id} offers no tokens SENDER endpoint we can call now`)
    const starting = state.next_url === null
    if (starting && state.parties.length >= state.emsps.length) return { state, done: true }
    const emsp = state.emsps[starting ? state.parties.length : state.parties.length - 1]
    const url = state.next_url ?? firstTokenPageUrl(sender, state)
    const before = starting ? emsp && { ...emsp, pages: 0, received: 0, stored: 0, rejected: 0 } : state.parties.at(-1)
    if (!emsp || !before) throw new PermanentJobError(`Token sync state of peer ${state.peer_id} names no eMSP party to pull`)
    const { page, next_url, recent, stopped_by } = await pullTokenPage(sender, url, {
      from: state.from, to: emsp, timeoutMs: Number(env.OCPI_CLIENT_TIMEOUT_MS) || 10_000, pages: before.pages + 1, recent: starting ? [] : state.recent,
    })
    // A peer may only tell us about tokens of parties it represents (a hub represents many).
    const ours = page.tokens.filter(({ token }) => representsOwner(peer, token))
    const stored = await putReceivedTokens(db, peer.id, ours)
    const counts: PartySyncCounts = {
      ...before,
      ...(stopped_by ? { stopped_by } : {}),
      pages: before.pages + 1,
      received: before.received + page.tokens.length + page.rejected,
      rejected: before.rejected + page.rejected + page.tokens.length - ours.length,
      stored: before.stored + stored,
    }
    const parties = [...state.parties.slice(0, starting ? state.parties.length : -1), counts]
    return { state: { ...state, parties, next_url, recent }, done: next_url === null && parties.length >= state.emsps.length }
  },
  progress: (state) => ({ peer_id: state.peer_id, parties: state.parties }),
}

/**
 * Whom to pull from: each eMSP party the peer holds, addressed to that party. A hub that holds none is asked once, for
 * all the tokens it routes ("GET All via Hubs": TO the Hub; transport_and_format, Message Routing).
 */
function emspPartiesOf(peer: Peer): PartyRef[] {
  const seen = new Map<string, PartyRef>()
  for (const role of peer.roles) {
    if (role.role === 'EMSP') seen.set(`${role.country_code}*${role.party_id}`.toUpperCase(), { country_code: role.country_code.toUpperCase(), party_id: role.party_id.toUpperCase() })
  }
  const hub = hubPartyOf(peer)
  return seen.size === 0 && hub ? [hub] : [...seen.values()]
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
