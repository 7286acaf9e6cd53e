import type { CredentialsRole, PendingRole, RoleGrant } from '../db/schema'
import type { PartyRef } from '../ocpi/context'
import { OcpiError } from '../ocpi/errors'

// The role-grant rule (docs/security.md, "Role grants"). A Credentials object only says which roles a platform *claims*
// (credentials.asciidoc: roles "inform a server about the party_id and country_code sets a client will use"); what it
// may act as here is decided by the operator. Pure: the caller reads the facts and stores the outcome.

export type RoleOutcome = 'granted' | 'pending' | 'refused'
export interface RoleDecision { role: CredentialsRole; outcome: RoleOutcome; reason: string; basis?: 'held' | 'free' }

export interface RoleFacts {
  /** Roles the peer names in this Credentials object. */
  claimed: readonly CredentialsRole[]
  /** What the operator stated; null when nothing was. */
  grants: readonly RoleGrant[] | null
  /** Roles the peer holds already (granted earlier). */
  held: readonly CredentialsRole[]
  /** A POST with token A, or the answer to our POST: the only moment free parties are taken without a grant. */
  firstRegistration: boolean
  /** Parties hosted on this platform. */
  hosted: readonly PartyRef[]
  /** Parties registered (CONNECTED or OFFLINE) peers other than this one hold, with the holder. */
  heldByOthers: readonly (PartyRef & { peer_id: string })[]
}

const partyKey = (party: PartyRef) => `${party.country_code.toUpperCase()}*${party.party_id.toUpperCase()}`
export const roleKey = (role: PartyRef & { role: string }) => `${role.role} ${partyKey(role)}`
const sameRole = (a: PartyRef & { role: string }, b: PartyRef & { role: string }) => roleKey(a) === roleKey(b)

/**
 * One decision per claimed role, in this order:
 * 1. held already by this peer: granted (a renewal repeats its roles);
 * 2. named in the operator's grants: granted, even for a party held elsewhere or hosted (the operator said so);
 * 3. party hosted here or held by another registered peer: refused (one party, one connection);
 * 4. grants stated but not naming it: refused at registration (the grant is the contract), pending on a later PUT (a
 *    refusal there would also block the token rotation the PUT carries);
 * 5. HUB: pending (a hub role opens every party's data, so it is never granted implicitly);
 * 6. a free party: granted on the first registration, pending after it.
 */
export function decideRoles(facts: RoleFacts): RoleDecision[] {
  const hosted = new Set(facts.hosted.map(partyKey))
  const holders = new Map(facts.heldByOthers.map((party) => [partyKey(party), party.peer_id]))
  return facts.claimed.map((role): RoleDecision => {
    const decide = (outcome: RoleOutcome, reason: string, basis?: RoleDecision['basis']) => ({ role, outcome, reason, ...(basis ? { basis } : {}) })
    if (facts.held.some((held) => sameRole(held, role))) return decide('granted', 'held already', 'held')
    if (facts.grants?.some((grant) => sameRole(grant, role))) return decide('granted', 'granted by the operator')
    if (hosted.has(partyKey(role))) return decide('refused', `party ${partyKey(role)} is hosted on this platform`)
    const holder = holders.get(partyKey(role))
    if (holder) return decide('refused', `party ${partyKey(role)} is held by another peer's connection`)
    if (facts.grants) return facts.firstRegistration ? decide('refused', 'not in the roles the operator granted to this peer') : decide('pending', 'not in the operator\'s grants')
    if (role.role === 'HUB') return decide('pending', 'HUB is granted only by the operator')
    return facts.firstRegistration ? decide('granted', 'free party at first registration', 'free') : decide('pending', 'new party after registration')
  })
}

/** The first refused role as an OCPI error naming it and its index in `roles`; undefined when none is refused. */
export function refusal(decisions: readonly RoleDecision[]): OcpiError | undefined {
  const index = decisions.findIndex((decision) => decision.outcome === 'refused')
  const refused = decisions[index]
  if (!refused) return undefined
  const { role, reason } = refused
  return new OcpiError(2001, `Role ${roleKey(role)} refused: ${reason}. Ask the operator of this platform for a grant.`, { path: `roles.${index}` })
}

export const grantedRoles = (decisions: readonly RoleDecision[]) => decisions.filter((decision) => decision.outcome === 'granted').map((decision) => decision.role)

export const pendingRoles = (decisions: readonly RoleDecision[], now: number): PendingRole[] =>
  decisions.filter((decision) => decision.outcome === 'pending').map(({ role, reason }) => ({ ...role, reason, requested_at: new Date(now).toISOString() }))

/** Audit entries of the decisions that change something (a role held already is not news): which role, what, why. */
export const auditedDecisions = (decisions: readonly RoleDecision[]) =>
  decisions.filter((decision) => decision.basis !== 'held').map(({ role, outcome, reason }) => ({ action: `peer.role.${outcome}`, detail: { role: roleKey(role), reason } }))

/** Parties granted only because nobody held them: re-checked in the batch that takes them. */
export const freePartiesTaken = (decisions: readonly RoleDecision[]) => decisions.filter((decision) => decision.basis === 'free').map((decision) => decision.role)

/** Whether `role` is one of `selection` (all when no selection is given). */
export const selected = (selection: readonly RoleGrant[] | undefined, role: PartyRef & { role: string }) => !selection || selection.some((chosen) => sameRole(chosen, role))
