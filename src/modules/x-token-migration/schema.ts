import { z } from 'zod'
import { CountryCode, DateTime, PartyId, Role } from '../../ocpi/types'
import { BusinessDetails } from '../../ocpi/objects/business-details'
import { Token } from '../../ocpi/objects/token'

// x-token-migration objects (docs/extensions/x-token-migration.md). One shape for 2.2.1 and 2.3.0 connections: tokens
// travel in the 2.3.0 shape (a superset), so an EMAID token is not lost on a 2.2.1 connection between two platforms.

export const HandoverStatus = z.enum(['OFFERED', 'MIGRATED_OUT'])

/** What the old platform offers: the party, its business details and how many tokens it hands over. */
export const PartyHandover = z.object({
  country_code: CountryCode,
  party_id: PartyId,
  role: Role,
  business_details: BusinessDetails,
  status: HandoverStatus,
  token_count: z.number().int().nonnegative(),
  offered_at: DateTime,
  migrated_at: DateTime.optional(),
})
export type PartyHandover = z.infer<typeof PartyHandover>

/** One token of the party with the eMSP-side rules that decide real-time authorization, so the new platform answers alike. */
export const TokenHandover = z.object({
  token: Token,
  allowed_countries: z.array(CountryCode).nullable().optional(),
  account_status: z.enum(['BLOCKED', 'EXPIRED', 'NO_CREDIT']).nullable().optional(),
})
export type TokenHandover = z.infer<typeof TokenHandover>

/** The new platform confirms it holds every token: the old one compares the count before letting go. */
export const HandoverCompletion = z.object({ tokens_received: z.number().int().nonnegative() })

/** Sent by the new platform to each CPO peer: the party's tokens, sessions and CDRs are now served by the sender. */
export const PartyMove = z.object({
  country_code: CountryCode,
  party_id: PartyId,
  role: Role,
  moved_at: DateTime,
})
export type PartyMove = z.infer<typeof PartyMove>

/** The CPO's answer to a PartyMove. */
export interface PartyMoveResult {
  tokens_moved: number
  sessions_resent: number
  pushes_retargeted: number
  /** Other peers that still list the party in their credentials roles (their roles update has not arrived yet). */
  still_listed_by_other_peers: number
}

export const ExportPartyRequest = z.object({ country_code: CountryCode, party_id: PartyId, peer_id: z.string().min(1) })
/** page_size: tokens per page asked of the old platform (it may send fewer); default: its own page size. */
export const ImportPartyRequest = ExportPartyRequest.extend({ page_size: z.number().int().min(1).max(1000).optional() })
