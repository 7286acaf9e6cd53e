import { z } from 'zod'
import { auditEntry, runBatch } from '../../db/batch'
import type { Database } from '../../db/client'
import { parties } from '../../db/schema'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import { OcpiError } from '../../ocpi/errors'
import { peerEndpoint } from '../../peers/extensions'
import { nextPageUrl, requestPeerModule } from '../../peers/module-request'
import { invalidateHostedParties } from '../../peers/parties'
import { getPeer, listPeers, type Peer } from '../../peers/store'
import { invalidatePushPeers } from '../../push/publish'
import { ownClientInfoStatements } from '../hubclientinfo/store'
import { putOwnToken } from '../tokens/store'
import { publishRolesTo } from './roles'
import { repushTokensOfParty } from './repush'
import { PartyHandover, TokenHandover, type PartyMove } from './schema'
import { createMigration, findMigration, updateMigration, type PartyMigration } from './store'

// The new platform's side of x-token-migration: take a party over from the platform it leaves, then tell every CPO.

const MODULE = 'x-token-migration'
const PARALLEL_WRITES = 20

/**
 * Operator of the new platform: pull the offered party and its tokens from `peer_id` (the old platform), confirm the
 * count so it lets go, host the party here, publish our roles to every peer, announce the move to every CPO peer that
 * implements x-token-migration and re-push the tokens. Each step is recorded; calling it again resumes a failed one.
 */
export async function takeOverParty(env: Env, db: Database, request: PartyRef & { peer_id: string; page_size?: number }): Promise<PartyMigration> {
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
  try {
    let current = migration
    if (handover.status === 'OFFERED') {
      const pulled = await pullTokens(env, db, oldPlatform, party, request.page_size)
      current = await updateMigration(db, current.id, { tokens: pulled.tokens, detail: { ...current.detail, token_pages: pulled.pages, tokens_pulled_at: new Date().toISOString() } })
      await confirmHandover(env, oldPlatform, party, pulled.tokens)
    } else if (current.tokens === 0 && handover.token_count > 0) {
      throw new OcpiError(3001, `The old platform already let go of ${party.country_code}*${party.party_id}, but no tokens were received here`)
    }
    const hosted = { ...party, role: handover.role, business_details: handover.business_details, created_at: Date.now() }
    await runBatch(db, [db.insert(parties).values(hosted).onConflictDoNothing(), ...ownClientInfoStatements(db, [hosted], 'CONNECTED', hosted.created_at)])
    invalidateHostedParties()
    invalidatePushPeers()
    current = await updateMigration(db, current.id, { status: 'IMPORTED', last_error: null })
    await auditEntry(db, { actor: 'admin', action: 'migration.imported', subject: `party:${party.country_code}*${party.party_id}`, detail: { migration_id: current.id, from_peer_id: oldPlatform.id, tokens: current.tokens } })
    return await announce(env, db, current, handover)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    await updateMigration(db, migration.id, { status: 'FAILED', last_error: message })
    throw error
  }
}

async function fetchHandover(env: Env, oldPlatform: Peer, party: PartyRef): Promise<PartyHandover> {
  const response = await requestPeerModule(env, oldPlatform, { module: MODULE, role: 'SENDER', method: 'GET', path: [party.country_code, party.party_id] })
  if (response.status_code !== 1000) throw new OcpiError(3001, `The old platform refused the hand-over of ${party.country_code}*${party.party_id}: ${response.status_code} ${response.status_message ?? ''}`.trim())
  return parseAnswer(PartyHandover, response.data, 'PartyHandover')
}

/** Every page of the party's tokens, stored as our own with a fresh last_updated so the re-push supersedes CPO caches. */
async function pullTokens(env: Env, db: Database, oldPlatform: Peer, party: PartyRef, pageSize?: number): Promise<{ tokens: number; pages: number }> {
  let received = 0
  let pages = 0
  let url: string | undefined
  do {
    const response = await requestPeerModule(env, oldPlatform, {
      module: MODULE, role: 'SENDER', method: 'GET', path: [party.country_code, party.party_id, 'tokens'], query: { limit: pageSize?.toString() }, url,
    })
    if (response.status_code !== 1000) throw new OcpiError(3001, `Token page refused: ${response.status_code} ${response.status_message ?? ''}`.trim())
    const page = parseAnswer(z.array(TokenHandover), response.data, 'TokenHandover list')
    const last_updated = new Date().toISOString()
    const foreign = page.find(({ token }) => token.country_code.toUpperCase() !== party.country_code || token.party_id.toUpperCase() !== party.party_id)
    if (foreign) throw new OcpiError(3001, `The old platform handed over a token of ${foreign.token.country_code}*${foreign.token.party_id}, not of ${party.country_code}*${party.party_id}`)
    // A few writes in flight at a time: one round trip per token would make a large party slow to import.
    for (let start = 0; start < page.length; start += PARALLEL_WRITES) {
      await Promise.all(page.slice(start, start + PARALLEL_WRITES).map(({ token, allowed_countries, account_status }) =>
        putOwnToken(db, { ...token, last_updated }, { allowed_countries, account_status })))
    }
    received += page.length
    pages++
    url = page.length > 0 ? nextPageUrl(response.headers) : undefined
  } while (url)
  return { tokens: received, pages }
}

async function confirmHandover(env: Env, oldPlatform: Peer, party: PartyRef, tokensReceived: number) {
  const response = await requestPeerModule(env, oldPlatform, {
    module: MODULE, role: 'SENDER', method: 'POST', path: [party.country_code, party.party_id, 'complete'], body: { tokens_received: tokensReceived },
  })
  if (response.status_code !== 1000) throw new OcpiError(3001, `The old platform did not let go: ${response.status_code} ${response.status_message ?? ''}`.trim())
}

/**
 * Tells the world: our roles now include the party (credentials PUT to every peer), each CPO peer implementing
 * x-token-migration gets a PartyMove (it re-points its token cache and unfinished sessions to us), and the tokens are
 * pushed again to every CPO peer, so even a CPO without the extension ends up with its cache filled from us.
 */
async function announce(env: Env, db: Database, migration: PartyMigration, handover: PartyHandover): Promise<PartyMigration> {
  const credentials_updates = await publishRolesTo(env, db)
  const move: PartyMove = { country_code: migration.country_code, party_id: migration.party_id, role: handover.role, moved_at: new Date().toISOString() }
  const announcements: Record<string, string> = {}
  for (const peer of await listPeers(db)) {
    if (peer.id === migration.peer_id || peer.status !== 'CONNECTED') continue
    if (!peerEndpoint(peer, MODULE, 'RECEIVER')) continue
    announcements[peer.id] = await announceTo(env, peer, move)
  }
  const tokens_pushed_to = await repushTokensOfParty(env, db, migration)
  const failed = Object.values({ ...credentials_updates, ...announcements }).filter((outcome) => outcome !== 'UPDATED' && outcome !== 'ACCEPTED')
  const updated = await updateMigration(db, migration.id, {
    status: 'ANNOUNCED',
    detail: { ...migration.detail, credentials_updates, announcements, tokens_pushed_to, announced_at: move.moved_at },
    last_error: failed.length > 0 ? `${failed.length} peer(s) not told: ${failed.join('; ')}` : null,
  })
  await auditEntry(db, { actor: 'admin', action: 'migration.announced', subject: `party:${migration.country_code}*${migration.party_id}`, detail: { migration_id: migration.id, announcements, credentials_updates } })
  return updated
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
    throw new OcpiError(3001, `The old platform sent an invalid ${what} at ${issue.path.join('.') || '(root)'}: ${issue.message}`)
  }
  return parsed.data
}
