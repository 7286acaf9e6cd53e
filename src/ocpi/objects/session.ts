import { z } from 'zod'
import { CiString, DateTime, OcpiString, Price, Price221, priceFrom221, priceTo221 } from '../types'
import type { VersionAdapters } from '../version-adapters'
import { AuthMethod, CdrToken, CdrToken221, cdrTokenTo221, ChargingPeriod } from './cdr'
import { Currency } from './tariff'
import { ProfileType } from './token'

// mod_sessions.asciidoc, "Object description" and "Data types". 2.2.1 and 2.3.0 differ only in the types they use:
// Price (2.3.0 "Support for North American taxes") and TokenType inside the CdrToken.

export const SessionStatus = z.enum(['ACTIVE', 'COMPLETED', 'INVALID', 'PENDING', 'RESERVATION'])
export type SessionStatus = z.infer<typeof SessionStatus>

const sessionFields = {
  country_code: CiString(2),
  party_id: CiString(3),
  id: CiString(36),
  start_date_time: DateTime,
  end_date_time: DateTime.optional(),
  kwh: z.number().min(0), // energy charged so far: never negative
  cdr_token: CdrToken,
  auth_method: AuthMethod,
  authorization_reference: CiString(36).optional(),
  location_id: CiString(36),
  evse_uid: CiString(36),
  connector_id: CiString(36),
  meter_id: OcpiString(255).optional(),
  currency: Currency,
  charging_periods: z.array(ChargingPeriod).optional(),
  total_cost: Price.optional(),
  status: SessionStatus,
  last_updated: DateTime,
}

export const Session = z.object(sessionFields)
export type Session = z.infer<typeof Session>
export const Session221 = z.object({ ...sessionFields, cdr_token: CdrToken221, total_cost: Price221.optional() })
export type Session221 = z.infer<typeof Session221>

/** A PATCH body: any subset of the fields, and last_updated is required (mod_sessions, "PATCH Method"). */
export const SessionPatch = Session.partial().required({ last_updated: true })
export type SessionPatch = z.infer<typeof SessionPatch>
export const SessionPatch221 = Session221.partial().required({ last_updated: true })
export type SessionPatch221 = z.infer<typeof SessionPatch221>

function sessionFrom221<T extends Partial<Session221>>({ total_cost, ...session }: T) {
  return { ...session, ...(total_cost && { total_cost: priceFrom221(total_cost) }) }
}

function sessionTo221<T extends Partial<Session>>({ total_cost, cdr_token, ...session }: T) {
  return { ...session, ...(cdr_token && { cdr_token: cdrTokenTo221(cdr_token) }), ...(total_cost && { total_cost: priceTo221(total_cost) }) }
}

export const sessionVersionsFrom221: VersionAdapters<Session> = {
  '2.3.0': { schema: Session, toCanonical: (session: Session) => session, fromCanonical: (session: Session) => session },
  '2.2.1': { schema: Session221, toCanonical: (session: Session221): Session => sessionFrom221(session), fromCanonical: (session: Session): Session221 => sessionTo221(session) as Session221 },
}

export const sessionPatchVersionsFrom221: VersionAdapters<SessionPatch> = {
  '2.3.0': { schema: SessionPatch, toCanonical: (patch: SessionPatch) => patch, fromCanonical: (patch: SessionPatch) => patch },
  '2.2.1': {
    schema: SessionPatch221,
    toCanonical: (patch: SessionPatch221): SessionPatch => sessionFrom221(patch),
    fromCanonical: (patch: SessionPatch): SessionPatch221 => sessionTo221(patch) as SessionPatch221,
  },
}

export const ChargingPreferences = z.object({
  profile_type: ProfileType,
  departure_time: DateTime.optional(),
  energy_need: z.number().optional(),
  discharge_allowed: z.boolean().optional(),
})
export type ChargingPreferences = z.infer<typeof ChargingPreferences>

export const ChargingPreferencesResponse = z.enum(['ACCEPTED', 'DEPARTURE_REQUIRED', 'ENERGY_NEED_REQUIRED', 'NOT_POSSIBLE', 'PROFILE_TYPE_NOT_SUPPORTED'])
export type ChargingPreferencesResponse = z.infer<typeof ChargingPreferencesResponse>
