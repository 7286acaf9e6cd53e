import { auditEntriesMentioning, rewriteAuditEntry } from '../../db/audit-store'
import type { Database } from '../../db/client'
import type { Env } from '../../env'
import { listPeers } from '../../peers/store'
import { peerOutbox } from '../../push/publish'
import { listCdrsOfToken, pseudonymizeCdrsOfToken } from '../cdrs/store'
import { deleteDriverTariff, findDriverTariff } from '../x-driver-tariffs/store'
import { listSessionsOfToken, pseudonymizeSessionsOfToken } from '../sessions/store'
import { listAuthorizationsOfToken, pseudonymizeAuthorizationsOfToken } from '../tokens/authorization-store'
import { flushAuthorizationLog } from '../tokens/authorization-log'
import { eraseReceivedToken, findReceivedTokensByUid, tokenRefOf } from '../tokens/store'
import { deleteExportsOf } from './export-store'
import type { GdprRecordKind, GdprSubject } from './schema'

/** One GDPR request being carried out on this platform. */
export interface GdprScope {
  db: Database
  env: Env
  /** country_code and party_id upper-cased. */
  subject: GdprSubject
  pseudonym: string
  /**
   * Every identifier of the token found before anything was erased (uid, contract_ids, visual_numbers), so places that
   * hold free-form text (audit details, queued pushes) can be cleaned of all of them.
   */
  identifiers: string[]
}

/**
 * A place where personal data about a token may be stored. Access collects from every holder; forget erases from
 * every holder. Adding a store that keeps token data means adding a holder here, nothing else.
 */
export interface PersonalDataHolder {
  /** Name in the export's `records` and in the erasure report. */
  name: GdprRecordKind | 'exports' | 'outbox'
  collect?(scope: GdprScope): Promise<unknown[]>
  /** Identifiers of the token this holder knows besides its uid (contract_id, visual_number). */
  identifiers?(scope: GdprScope): Promise<string[]>
  /** Removes or pseudonymizes; returns how many records were changed. */
  erase(scope: GdprScope): Promise<number>
}

const receivedTokens = (scope: GdprScope) => findReceivedTokensByUid(scope.db, scope.subject.uid, scope.subject.type, scope.subject)

/** The CPO's token cache: removed outright (a forgotten token cannot be authorized locally anyway). */
export const tokenCacheHolder: PersonalDataHolder = {
  name: 'tokens',
  async collect(scope) {
    return (await receivedTokens(scope)).map((stored) => stored.token)
  },
  async identifiers(scope) {
    return (await receivedTokens(scope)).flatMap(({ token }) => [token.contract_id, token.visual_number, token.energy_contract?.contract_id].filter((value): value is string => !!value))
  },
  async erase(scope) {
    let erased = 0
    for (const { token } of await receivedTokens(scope)) if (await eraseReceivedToken(scope.db, tokenRefOf(token))) erased++
    return erased
  },
}

/** Sessions started with the token: kept (they are the CPO's operational record) with uid and contract_id pseudonymized. */
export const sessionsHolder: PersonalDataHolder = {
  name: 'sessions',
  collect: async (scope) => (await listSessionsOfToken(scope.db, scope.subject)).map((stored) => stored.session),
  identifiers: async (scope) => (await listSessionsOfToken(scope.db, scope.subject)).map((stored) => stored.session.cdr_token.contract_id),
  erase: (scope) => pseudonymizeSessionsOfToken(scope.db, scope.subject, scope.pseudonym),
}

/** CDRs: kept for invoicing (GDPR Art. 17(3)(b)), with the token pseudonymized and signed meter data dropped. */
export const cdrsHolder: PersonalDataHolder = {
  name: 'cdrs',
  collect: async (scope) => (await listCdrsOfToken(scope.db, scope.subject)).map((stored) => stored.cdr),
  identifiers: async (scope) => (await listCdrsOfToken(scope.db, scope.subject)).map((stored) => stored.cdr.cdr_token.contract_id),
  erase: (scope) => pseudonymizeCdrsOfToken(scope.db, scope.subject, scope.pseudonym),
}

/** Authorization decisions about the token (either side): kept as the audit trail they are, uid pseudonymized. */
export const authorizationsHolder: PersonalDataHolder = {
  name: 'authorizations',
  // Decisions still queued on this isolate are written first (src/modules/tokens/authorization-log.ts).
  collect: async (scope) => {
    await flushAuthorizationLog()
    return listAuthorizationsOfToken(scope.db, scope.subject)
  },
  erase: async (scope) => {
    await flushAuthorizationLog()
    return pseudonymizeAuthorizationsOfToken(scope.db, scope.subject, scope.pseudonym)
  },
}

async function receivedDriverTariff(scope: GdprScope) {
  const row = await findDriverTariff(scope.db, scope.subject, scope.subject.uid)
  return row?.peer_id ? row : undefined
}

/** The tariff the eMSP pushed for this driver (x-driver-tariffs): removed, it only ever served that driver. */
export const driverTariffsHolder: PersonalDataHolder = {
  name: 'driver_tariffs',
  collect: async (scope) => {
    const row = await receivedDriverTariff(scope)
    return row ? [row.object] : []
  },
  erase: async (scope) => {
    const row = await receivedDriverTariff(scope)
    return row?.peer_id && (await deleteDriverTariff(scope.db, row.peer_id, scope.subject, scope.subject.uid)) ? 1 : 0
  },
}

/** Right-of-access exports kept in R2: every earlier export of the token is deleted. */
export const exportsHolder: PersonalDataHolder = {
  name: 'exports',
  erase: (scope) => deleteExportsOf(scope.db, scope.env.BUNDLES, scope.pseudonym),
}

/**
 * Pushes still queued for peers (PeerOutbox Durable Objects) carry whole sessions and CDRs: their identifiers become
 * the pseudonym too, so what is delivered later matches what is kept here.
 */
export const PSEUDONYMIZE_QUEUED = 'x-gdpr.pseudonymize'

export const outboxHolder: PersonalDataHolder = {
  name: 'outbox',
  async erase(scope) {
    const counts = await Promise.all((await listPeers(scope.db)).map((peer) => peerOutbox(scope.env, peer.id).rewriteQueued(PSEUDONYMIZE_QUEUED, { identifiers: scope.identifiers, pseudonym: scope.pseudonym })))
    return counts.reduce((sum, count) => sum + count, 0)
  },
}

/**
 * The audit log: entries that name the token (in the subject, or as a JSON string value in the detail) keep their
 * action and time, with each identifier replaced by the pseudonym. The log stays an audit trail; it stops being a
 * record of the driver.
 */
export const auditLogHolder: PersonalDataHolder = {
  name: 'audit_log',
  async collect(scope) {
    return (await mentioningEntries(scope)).map(({ id, at, actor, action, subject, detail }) => ({ id, at: new Date(at).toISOString(), actor, action, subject, detail }))
  },
  async erase(scope) {
    const entries = await mentioningEntries(scope)
    for (const entry of entries) {
      await rewriteAuditEntry(scope.db, entry.id, {
        subject: entry.subject === null ? null : replaceIdentifiers(entry.subject, scope),
        detail: entry.detail === null ? null : JSON.parse(replaceIdentifiers(JSON.stringify(entry.detail), scope)),
      })
    }
    return entries.length
  },
}

const mentioningEntries = (scope: GdprScope) => auditEntriesMentioning(scope.db, scope.identifiers)

/** Replaces every identifier, in any letter case (CiString), where it stands alone or as a subject's last segment. */
export function replaceIdentifiers(text: string, scope: Pick<GdprScope, 'identifiers' | 'pseudonym'>): string {
  let result = text
  for (const identifier of scope.identifiers) {
    const escaped = identifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    result = result.replace(new RegExp(`(^|["*:/])${escaped}(?=$|")`, 'gi'), `$1${scope.pseudonym}`)
  }
  return result
}
