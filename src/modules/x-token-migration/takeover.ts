import { z } from 'zod'
import { auditEntry } from '../../db/batch'
import { type Database } from '../../db/client'
import { databaseFor } from '../../db/shards'
import type { Env } from '../../env'
import { backgroundJob, startJob } from '../../jobs/start'
import { PermanentJobError, type JobKind, type JobView } from '../../jobs/types'
import type { PartyRef } from '../../ocpi/context'
import { OcpiError } from '../../ocpi/errors'
import type { PageQuery } from '../../ocpi/paging'
import { peerEndpoint } from '../../peers/extensions'
import { requestPeerModule } from '../../peers/module-request'
import { nextPageAfter } from '../../peers/paged-pull'
import { hostParty } from '../../peers/parties'
import { getPeer, listPeers, type Peer } from '../../peers/store'
import { invalidatePushPeers } from '../../push/publish'
import { putOwnTokens } from '../tokens/store'
import { publishRolesToPeers } from '../../peers/registration'
import { REPUSH_PAGE_SIZE, repushTokenPage } from './repush'
import { PartyHandover, TokenHandover, type PartyMove } from './schema'
import { createMigration, findMigration, getMigration, updateMigration, type PartyMigration } from './store'

// The new platform's side of x-token-migration: take a party over from the platform it leaves, then tell every CPO.
// An MSP may hand over a million tokens: after the request checked the hand-over, a background job pulls them a page
// per step, then hosts the party, announces the move and re-pushes the tokens a page per step (docs/jobs.md).

const MODULE = 'x-token-migration'
export const IMPORT_JOB = 'x-token-migration.import'

export interface ImportState {
  migration_id: string
  party: PartyRef
  peer_id: string
  page_size?: number
  handover: PartyHandover
  /** pull: a page of the old platform's tokens per step; announce: host the party and tell every peer; repush: a page of tokens per step to CPO peers. */
  phase: 'pull' | 'announce' | 'repush'
  /** The next token page to pull (null: the first). */
  next_url: string | null
  /** The token pages fetched last, so a Link that repeats one ends the pull (src/peers/paged-pull.ts). */
  recent_pages?: string[]
  tokens: number
  token_pages: number
  credentials_updates: Record<string, string>
  announcements: Record<string, string>
  moved_at: string | null
  repush_page: PageQuery
  tokens_repushed: number
  tokens_pushed_to: string[]
}

/**
 * Operator of the new platform: checks the hand-over `peer_id` (the old platform) offers, records the migration and
 * starts the job that pulls the party's tokens, confirms the count so the old platform lets go, hosts the party here,
 * publishes our roles to every peer, announces the move to every CPO peer that implements x-token-migration and
 * re-pushes the tokens. Calling it again for a failed migration resumes it with a new job.
 */
export async function takeOverParty(env: Env, db: Database, request: PartyRef & { peer_id: string; page_size?: number }): Promise<{ migration: PartyMigration; job: JobView }> {
  const party = { country_code: request.country_code.toUpperCase(), party_id: request.party_id.toUpperCase() }
  const oldPlatform = await getPeer(db, request.peer_id)
  if (!oldPlatform) throw new OcpiError(2001, `Unknown peer ${request.peer_id}`, { path: 'peer_id' })
  if (await findMigration(db, party, 'IMPORT', ['ANNOUNCED'])) {
    throw new OcpiError(2001, `${party.country_code}*${party.party_id} was already taken over`, { http_status: 409, path: 'party_id' })
  }
  const handover = await fetchHandover(env, oldPlatform, party)
  const migration =
    (await findMigration(db, party, 'IMPORT', ['IMPORTING', 'IMPORTED', 'FAILED'])) ??
    (await createMigration(db, { direction: 'IMPORT', ...party, role: handover.role, peer_id: oldPlatform.id, status: 'IMPORTING', business_details: handover.business_details }))
  const previousJobId = (migration.detail as { job_id?: string } | null)?.job_id
  const previous = previousJobId ? await backgroundJob(env, previousJobId).status() : undefined
  if (previous?.status === 'RUNNING') return { migration, job: previous }
  if (handover.status !== 'OFFERED' && migration.tokens === 0 && handover.token_count > 0) {
    const message = `The old platform already let go of ${party.country_code}*${party.party_id}, but no tokens were received here`
    await updateMigration(db, migration.id, { status: 'FAILED', last_error: message })
    throw new OcpiError(3001, message)
  }
  const state: ImportState = {
    migration_id: migration.id, party, peer_id: oldPlatform.id, page_size: request.page_size, handover,
    phase: handover.status === 'OFFERED' ? 'pull' : 'announce', next_url: null, tokens: migration.tokens, token_pages: 0,
    credentials_updates: {}, announcements: {}, moved_at: null, repush_page: { offset: 0, limit: REPUSH_PAGE_SIZE }, tokens_repushed: 0, tokens_pushed_to: [],
  }
  // The job id is recorded first: the job's own updates of the migration must never be overwritten by this one.
  const jobId = crypto.randomUUID()
  const current = await updateMigration(db, migration.id, { status: migration.status === 'FAILED' ? 'IMPORTING' : migration.status, last_error: null, detail: { ...migration.detail, job_id: jobId } })
  return { migration: current, job: await startJob(env, IMPORT_JOB, state, jobId) }
}

export const importJob: JobKind<ImportState> = {
  async step(env, state) {
    const db = databaseFor(env)
    const oldPlatform = await getPeer(db, state.peer_id)
    if (!oldPlatform) throw new PermanentJobError(`Peer ${state.peer_id} (the old platform) was deleted`)
    try {
      if (state.phase === 'pull') return await pullTokenPage(env, db, oldPlatform, state)
      if (state.phase === 'announce') return { state: await announce(env, db, state), done: false }
      return await repushPage(env, db, state)
    } catch (error) {
      // The job retries the step; the migration shows why it is not done yet.
      await updateMigration(db, state.migration_id, { last_error: error instanceof Error ? error.message : String(error) })
      throw error
    }
  },
  failed: async (env, state, message) => {
    await updateMigration(databaseFor(env), state.migration_id, { status: 'FAILED', last_error: message })
  },
  progress: (state) => ({
    migration_id: state.migration_id, party: `${state.party.country_code}*${state.party.party_id}`, phase: state.phase,
    tokens: state.tokens, token_pages: state.token_pages, tokens_repushed: state.tokens_repushed,
  }),
}

async function fetchHandover(env: Env, oldPlatform: Peer, party: PartyRef): Promise<PartyHandover> {
  const response = await requestPeerModule(env, oldPlatform, { module: MODULE, role: 'SENDER', method: 'GET', path: [party.country_code, party.party_id] })
  if (response.status_code !== 1000) throw new OcpiError(3001, `The old platform refused the hand-over of ${party.country_code}*${party.party_id}: ${response.status_code} ${response.status_message ?? ''}`.trim())
  return parseAnswer(PartyHandover, response.data, 'PartyHandover')
}

/**
 * One page of the party's tokens, stored as our own with a fresh last_updated so the re-push supersedes CPO caches.
 * After the last page: the count is recorded and confirmed, so the old platform lets go.
 */
async function pullTokenPage(env: Env, db: Database, oldPlatform: Peer, state: ImportState): Promise<{ state: ImportState; done: boolean }> {
  const { party } = state
  const response = await requestPeerModule(env, oldPlatform, {
    module: MODULE, role: 'SENDER', method: 'GET', path: [party.country_code, party.party_id, 'tokens'], query: { limit: state.page_size?.toString() }, url: state.next_url ?? undefined,
  })
  if (response.status_code !== 1000) throw new OcpiError(3001, `Token page refused: ${response.status_code} ${response.status_message ?? ''}`.trim())
  const page = parseAnswer(z.array(TokenHandover), response.data, 'TokenHandover list')
  const last_updated = new Date().toISOString()
  const foreign = page.find(({ token }) => token.country_code.toUpperCase() !== party.country_code || token.party_id.toUpperCase() !== party.party_id)
  if (foreign) throw new OcpiError(3001, `The old platform handed over a token of ${foreign.token.country_code}*${foreign.token.party_id}, not of ${party.country_code}*${party.party_id}`)
  await putOwnTokens(db, page.map(({ token, allowed_countries, account_status }) => ({ token: { ...token, last_updated }, rules: { allowed_countries, account_status } })))
  const pulled = { ...state, tokens: (state.next_url === null ? 0 : state.tokens) + page.length, token_pages: state.token_pages + 1 }
  const { next_url: next, recent, stopped_by } = nextPageAfter({ url: response.url ?? '', headers: response.headers, received: page.length, pages: pulled.token_pages, recent: state.recent_pages })
  // Confirming a count the old platform's pages never completed would make it let go of tokens we do not have.
  if (stopped_by) throw new PermanentJobError(`The old platform's token pages cannot be followed: ${stopped_by}`)
  if (next) return { state: { ...pulled, next_url: next, recent_pages: recent }, done: false }
  const migration = await getMigration(db, state.migration_id)
  await updateMigration(db, state.migration_id, { tokens: pulled.tokens, detail: { ...migration?.detail, token_pages: pulled.token_pages, tokens_pulled_at: last_updated } })
  await confirmHandover(env, oldPlatform, party, pulled.tokens)
  return { state: { ...pulled, phase: 'announce', next_url: null }, done: false }
}

async function confirmHandover(env: Env, oldPlatform: Peer, party: PartyRef, tokensReceived: number) {
  const response = await requestPeerModule(env, oldPlatform, {
    module: MODULE, role: 'SENDER', method: 'POST', path: [party.country_code, party.party_id, 'complete'], body: { tokens_received: tokensReceived },
  })
  if (response.status_code !== 1000) throw new OcpiError(3001, `The old platform did not let go: ${response.status_code} ${response.status_message ?? ''}`.trim())
}

/**
 * Hosts the party and tells the world: our roles now include the party (credentials PUT to every peer), and each CPO
 * peer implementing x-token-migration gets a PartyMove (it re-points its token cache and unfinished sessions to us).
 * The re-push that follows fills the cache of a CPO without the extension too.
 */
async function announce(env: Env, db: Database, state: ImportState): Promise<ImportState> {
  const { party, handover } = state
  await hostParty(db, { ...party, role: handover.role, business_details: handover.business_details }, 'migration')
  invalidatePushPeers()
  const imported = await updateMigration(db, state.migration_id, { status: 'IMPORTED', last_error: null })
  await auditEntry(db, { actor: 'admin', action: 'migration.imported', subject: `party:${party.country_code}*${party.party_id}`, detail: { migration_id: imported.id, from_peer_id: state.peer_id, tokens: imported.tokens } })
  const credentials_updates = await publishRolesToPeers(env, 'migration')
  const move: PartyMove = { ...party, role: handover.role, moved_at: new Date().toISOString() }
  const announcements: Record<string, string> = {}
  for (const peer of await listPeers(db)) {
    if (peer.id === state.peer_id || peer.status !== 'CONNECTED') continue
    if (!peerEndpoint(peer, MODULE, 'RECEIVER')) continue
    announcements[peer.id] = await announceTo(env, peer, move)
  }
  return { ...state, phase: 'repush', credentials_updates, announcements, moved_at: move.moved_at }
}

/** One page of the party's tokens pushed again to every CPO peer; after the last, the migration is ANNOUNCED. */
async function repushPage(env: Env, db: Database, state: ImportState): Promise<{ state: ImportState; done: boolean }> {
  const page = await repushTokenPage(env, db, state.party, state.repush_page)
  const { recipients, next } = page
  const pushed: ImportState = {
    ...state,
    tokens_repushed: state.tokens_repushed + page.pushed,
    tokens_pushed_to: [...new Set([...state.tokens_pushed_to, ...recipients])],
  }
  if (next) return { state: { ...pushed, repush_page: next }, done: false }
  const { credentials_updates, announcements, tokens_pushed_to } = pushed
  const failed = Object.values({ ...credentials_updates, ...announcements }).filter((outcome) => outcome !== 'UPDATED' && outcome !== 'ACCEPTED')
  const migration = await getMigration(db, state.migration_id)
  await updateMigration(db, state.migration_id, {
    status: 'ANNOUNCED',
    detail: { ...migration?.detail, credentials_updates, announcements, tokens_pushed_to, announced_at: state.moved_at },
    last_error: failed.length > 0 ? `${failed.length} peer(s) not told: ${failed.join('; ')}` : null,
  })
  await auditEntry(db, { actor: 'admin', action: 'migration.announced', subject: `party:${state.party.country_code}*${state.party.party_id}`, detail: { migration_id: state.migration_id, announcements, credentials_updates } })
  return { state: pushed, done: true }
}

async function announceTo(env: Env, peer: Peer, move: PartyMove): Promise<string> {
  try {
    const response = await requestPeerModule(env, peer, { module: MODULE, role: 'RECEIVER', method: 'PUT', path: [move.country_code, move.party_id], body: move, from: move })
    return response.status_code === 1000 ? 'ACCEPTED' : `REFUSED: ${response.status_code} ${response.status_message ?? ''}`.trim()
  } catch (error) {
    return `FAILED: ${error instanceof Error ? error.message : String(error)}`
  }
}

function parseAnswer<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const [issue] = parsed.error.issues
    throw new OcpiError(3001, `The old platform sent an invalid ${what} at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`)
  }
  return parsed.data
}
