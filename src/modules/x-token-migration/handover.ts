import { auditEntry, runBatch } from '../../db/batch'
import type { Database } from '../../db/client'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import { OcpiError } from '../../ocpi/errors'
import type { Page, PageQuery } from '../../ocpi/paging'
import { findHostedParty, invalidateHostedParties } from '../../peers/parties'
import { unhostPartyStatement } from '../../peers/party-store'
import { getPeer } from '../../peers/store'
import { invalidatePushPeers } from '../../push/publish'
import { deleteOwnTokensOfParty, listOwnTokensOfParty } from '../tokens/store'
import { publishRolesToPeers } from '../../peers/registration'
import type { PartyHandover, TokenHandover } from './schema'
import { createMigration, findMigration, updateMigration, type PartyMigration } from './store'

// The old platform's side of x-token-migration: offer a hosted eMSP party to one peer, let that peer page through the
// party's tokens, and let go of the party once the peer confirms it holds all of them.

const normalized = (party: PartyRef): PartyRef => ({ country_code: party.country_code.toUpperCase(), party_id: party.party_id.toUpperCase() })

/** Operator of the old platform: allow `peerId` (the new platform) to take the party over. */
export async function offerParty(db: Database, request: PartyRef & { peer_id: string }): Promise<PartyMigration> {
  const party = normalized(request)
  const hosted = await findHostedParty(db, party, 'EMSP')
  if (!hosted) throw new OcpiError(2003, `${party.country_code}*${party.party_id} is not an eMSP hosted here`, { http_status: 404, path: 'party_id' })
  const peer = await getPeer(db, request.peer_id)
  if (!peer || peer.status !== 'CONNECTED') throw new OcpiError(2001, `Peer ${request.peer_id} is not a connected peer`, { path: 'peer_id' })
  const open = await findMigration(db, party, 'EXPORT', ['OFFERED'])
  if (open?.peer_id === peer.id) return open
  if (open) throw new OcpiError(2001, `${party.country_code}*${party.party_id} is already offered to peer ${open.peer_id} (migration ${open.id})`, { http_status: 409, path: 'party_id' })
  const migration = await createMigration(db, {
    direction: 'EXPORT', ...party, role: hosted.role, peer_id: peer.id, status: 'OFFERED', business_details: hosted.business_details,
    tokens: await countOwnTokens(db, party),
  })
  await auditEntry(db, { actor: 'admin', action: 'migration.offered', subject: `party:${party.country_code}*${party.party_id}`, detail: { migration_id: migration.id, peer_id: peer.id } })
  return migration
}

/** The hand-over a peer may see: only the one offered to it (an offer to another peer looks like none). */
export async function handoverFor(db: Database, peerId: string, party: PartyRef): Promise<PartyMigration> {
  const migration = await findMigration(db, normalized(party), 'EXPORT', ['OFFERED', 'MIGRATED_OUT'])
  if (!migration || migration.peer_id !== peerId) throw new OcpiError(2003, `No hand-over of ${party.country_code}*${party.party_id} offered to this peer`, { http_status: 404 })
  return migration
}

export function handoverObject(migration: PartyMigration, tokenCount = migration.tokens): PartyHandover {
  const migratedAt = migration.status === 'MIGRATED_OUT' ? (migration.detail.migrated_at as string | undefined) : undefined
  return {
    country_code: migration.country_code,
    party_id: migration.party_id,
    role: migration.role,
    business_details: migration.business_details ?? { name: `${migration.country_code}*${migration.party_id}` },
    status: migration.status === 'MIGRATED_OUT' ? 'MIGRATED_OUT' : 'OFFERED',
    token_count: tokenCount,
    offered_at: new Date(migration.created_at).toISOString(),
    ...(migratedAt ? { migrated_at: migratedAt } : {}),
  }
}

/** A page of the party's tokens with their eMSP-side rules, in (last_updated, key) order. */
export async function handoverTokens(db: Database, migration: PartyMigration, page: PageQuery): Promise<Page<TokenHandover>> {
  // Once migrated out the tokens are gone from here: the new platform serves them.
  if (migration.status !== 'OFFERED') return { objects: [], total: 0 }
  const found = await listOwnTokensOfParty(db, migration, page)
  return { ...found, objects: found.objects.map(({ token, allowed_countries, account_status }) => ({ token, allowed_countries, account_status })) }
}

/**
 * The new platform holds every token: the party stops being hosted here, its tokens are deleted (this platform no
 * longer has a reason to keep drivers' data), and every connected peer gets our roles without it (credentials PUT,
 * B8.2), so from then on no CPO routes the party's sessions and CDRs here. Repeating it is harmless.
 */
export async function completeHandover(env: Env, db: Database, migration: PartyMigration, tokensReceived: number): Promise<PartyMigration> {
  if (migration.status === 'MIGRATED_OUT') return migration
  const tokenCount = await countOwnTokens(db, migration)
  if (tokensReceived !== tokenCount) {
    throw new OcpiError(2001, `tokens_received ${tokensReceived} does not match the ${tokenCount} tokens of ${migration.country_code}*${migration.party_id}: pull them again`, { path: 'tokens_received' })
  }
  const party = { country_code: migration.country_code, party_id: migration.party_id }
  const migrated_at = new Date().toISOString()
  await runBatch(db, [
    deleteOwnTokensOfParty(db, party),
    unhostPartyStatement(db, party, migration.role),
    auditEntry(db, { actor: `peer:${migration.peer_id}`, action: 'migration.migrated_out', subject: `party:${party.country_code}*${party.party_id}`, detail: { migration_id: migration.id, tokens: tokenCount } }),
  ])
  invalidateHostedParties()
  invalidatePushPeers()
  const migrated = await updateMigration(db, migration.id, { status: 'MIGRATED_OUT', tokens: tokenCount, detail: { ...migration.detail, migrated_at } })
  const credentials_updates = await publishRolesToPeers(env, 'migration')
  return updateMigration(db, migration.id, { detail: { ...migrated.detail, credentials_updates } })
}

async function countOwnTokens(db: Database, party: PartyRef): Promise<number> {
  return (await listOwnTokensOfParty(db, party, { offset: 0, limit: 1 })).total
}
