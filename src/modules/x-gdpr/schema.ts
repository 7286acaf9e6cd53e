import { z } from 'zod'
import { CiString, CountryCode, DateTime, PartyId } from '../../ocpi/types'
import { TokenType } from '../../ocpi/objects/token'

// x-gdpr objects (docs/extensions/x-gdpr.md). One shape for 2.2.1 and 2.3.0: the extension is ours, not versioned by OCPI.

/** The token a request is about: the requesting eMSP's own party, the token uid and, optionally, its type. */
export const GdprSubject = z.object({
  country_code: CountryCode,
  party_id: PartyId,
  uid: CiString(36).min(1),
  type: TokenType.optional(),
})
export type GdprSubject = z.infer<typeof GdprSubject>

/** Optional request body: the eMSP's own reference, echoed in the answer and in both audit logs. */
export const GdprRequestBody = z.object({ request_id: CiString(36).optional() })

export type GdprRecordKind = 'tokens' | 'sessions' | 'cdrs' | 'driver_tariffs' | 'charging_sessions' | 'authorizations' | 'audit_log'

/** Right of access: everything this platform holds about the token, each record in its canonical (2.3.0) shape. */
export interface GdprExport {
  export_id: string
  request_id?: string
  subject: GdprSubject
  created: string
  /** After this the export is deleted and `url` answers 2003. */
  expires: string
  /** Where the requesting peer can fetch this export again (GET, same credentials). */
  url: string
  records: Partial<Record<GdprRecordKind, unknown[]>>
}

/** Right to be forgotten: what was removed or pseudonymized, per place it was stored. */
export interface GdprErasure {
  request_id?: string
  subject: GdprSubject
  /** The keyed pseudonym that now stands in for uid and contract_id in kept records (CDRs for invoicing). */
  pseudonym: string
  completed: string
  erased: Record<string, number>
}

/** The answers as a requesting platform reads them: tolerant, only what it relies on is checked. */
export const GdprExportAnswer = z.object({ export_id: z.string(), created: DateTime, expires: DateTime, url: z.string(), records: z.record(z.string(), z.array(z.unknown())) }).passthrough()
export const GdprErasureAnswer = z.object({ pseudonym: z.string(), completed: DateTime, erased: z.record(z.string(), z.number()) }).passthrough()
