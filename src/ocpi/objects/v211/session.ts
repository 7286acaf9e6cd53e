import { z } from 'zod'
import { DateTime } from '../../types'
import type { Owner, VersionAdapter } from '../../version-adapters'
import type { AuthMethod, CdrDimension, CdrToken, ChargingPeriod } from '../cdr'
import type { Location } from '../location'
import type { Session, SessionPatch, SessionStatus } from '../session'
import { Location211, locationTo211 } from './location'
import { defined, isIn, type Loss, NO_OWNER, String211, Text211 } from './shared'

// Sessions module of OCPI 2.1.1 (mod_sessions.md, "Object description" and "Data types"), the classes 2.1.1 Sessions
// share with CDRs (mod_cdrs.md 4.1 to 4.4), and the adapters between them and the canonical (2.3.0) Session.

// ---- shared with CDRs ----

const AUTH_METHODS = ['AUTH_REQUEST', 'WHITELIST'] as const
const DIMENSION_TYPES = ['ENERGY', 'FLAT', 'MAX_CURRENT', 'MIN_CURRENT', 'PARKING_TIME', 'TIME'] as const
export const AuthMethod211 = z.enum(AUTH_METHODS)
export const CdrDimensionType211 = z.enum(DIMENSION_TYPES)
export const CdrDimension211 = z.object({ type: CdrDimensionType211, volume: z.number() })
export type CdrDimension211 = z.infer<typeof CdrDimension211>
export const ChargingPeriod211 = z.object({ start_date_time: DateTime, dimensions: z.array(CdrDimension211).min(1) })
export type ChargingPeriod211 = z.infer<typeof ChargingPeriod211>

/**
 * The embedded Location of a 2.1.1 Session or CDR: "including only the relevant EVSE and connector" (mod_sessions 3.1,
 * mod_cdrs 3.1), so it must have an EVSE, the first one.
 */
export const EmbeddedLocation211 = Location211.refine((location) => (location.evses?.length ?? 0) > 0, {
  message: 'The location must include the EVSE and connector used',
  path: ['evses'],
})

/** The EVSE and connector a 2.1.1 Session or CDR took place at: the first of its embedded Location. */
export function placeOf211(location: Location211) {
  const evse = location.evses?.[0]
  return { location, evse, connector: evse?.connectors[0] }
}

/** 2.1.1 names the token by auth_id only (the Token's auth_id, the canonical contract_id); its party is not sent. */
export const cdrTokenFrom211 = (auth_id: string): CdrToken => ({ country_code: '', party_id: '', uid: auth_id, type: 'OTHER', contract_id: auth_id })

/** A command-started session (2.2: COMMAND) was authorized by the eMSP, which 2.1.1 calls an authentication request. */
export const authMethodTo211 = (method: AuthMethod): z.infer<typeof AuthMethod211> => (method === 'WHITELIST' ? 'WHITELIST' : 'AUTH_REQUEST')

const isDimensionType211 = isIn(DIMENSION_TYPES)
// FLAT is not a quantity a period has (2.2 removed it from CdrDimensionType); periods only it measured are left out.
const isCanonicalDimension = (dimension: CdrDimension211) => dimension.type !== 'FLAT'

export function chargingPeriodsFrom211(periods: ChargingPeriod211[]): ChargingPeriod[] {
  return periods
    .map((period) => ({ ...period, dimensions: period.dimensions.filter(isCanonicalDimension) as CdrDimension[] }))
    .filter((period) => period.dimensions.length > 0)
}

export function chargingPeriodsTo211(periods: ChargingPeriod[]): ChargingPeriod211[] {
  return periods
    .map(({ tariff_id: _tariff, ...period }) => ({ ...period, dimensions: period.dimensions.filter((dimension) => isDimensionType211(dimension.type)) as CdrDimension211[] }))
    .filter((period) => period.dimensions.length > 0)
}

/**
 * The Location a 2.1.1 Session or CDR embeds, for `location_id`, `evse_uid` and `connector_id`: the stored Location
 * narrowed to that EVSE and connector when the caller has it, else one that carries only these ids (every other
 * required field empty, zero or UNKNOWN), which is all a canonical Session knows of its place.
 */
export function embeddedLocation211(ids: { location_id: string; evse_uid: string; connector_id: string }, lastUpdated: string, location?: Location): Location211 {
  const sameId = (left: string, right: string) => left.toUpperCase() === right.toUpperCase()
  if (location && sameId(location.id, ids.location_id)) {
    const evse = location.evses?.find((candidate) => sameId(candidate.uid, ids.evse_uid))
    const connector = evse?.connectors.find((candidate) => sameId(candidate.id, ids.connector_id))
    const narrowed = locationTo211({ ...location, evses: evse && connector ? [{ ...evse, connectors: [connector] }] : [] })
    if (narrowed.evses?.length) return narrowed
  }
  return {
    id: ids.location_id, type: 'UNKNOWN', address: '', city: '', postal_code: '', country: '', coordinates: { latitude: '0.000000', longitude: '0.000000' },
    evses: [{ uid: ids.evse_uid, status: 'UNKNOWN', connectors: [{ id: ids.connector_id, standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_1_PHASE', voltage: 0, amperage: 0, last_updated: lastUpdated }], last_updated: lastUpdated }],
    last_updated: lastUpdated,
  }
}

// ---- Session ----

const STATUSES = ['ACTIVE', 'COMPLETED', 'INVALID', 'PENDING'] as const
export const SessionStatus211 = z.enum(STATUSES)

export const Session211 = z.object({
  id: String211(36),
  start_datetime: DateTime,
  end_datetime: DateTime.optional(),
  kwh: z.number(),
  auth_id: String211(36),
  auth_method: AuthMethod211,
  location: EmbeddedLocation211,
  meter_id: Text211(255).optional(),
  currency: String211(3),
  charging_periods: z.array(ChargingPeriod211).optional(),
  total_cost: z.number().optional(),
  status: SessionStatus211,
  last_updated: DateTime,
})
export type Session211 = z.infer<typeof Session211>

/** PATCH (mod_sessions 2.2.3): any subset of the fields; the spec's example has only total_cost. */
export const SessionPatch211 = Session211.partial()
export type SessionPatch211 = z.infer<typeof SessionPatch211>

// A session with a reservation (2.2) has not started: 2.1.1 "PENDING: ... it has not yet started".
const statusTo211 = (status: SessionStatus): z.infer<typeof SessionStatus211> => (status === 'RESERVATION' ? 'PENDING' : status)

function sessionFieldsFrom211<S extends Partial<Session211>>(session: S) {
  const { start_datetime, end_datetime, auth_id, location, total_cost, charging_periods, ...rest } = session
  const place = location && placeOf211(location)
  return defined({
    ...rest,
    start_date_time: start_datetime,
    end_date_time: end_datetime,
    cdr_token: auth_id === undefined ? undefined : cdrTokenFrom211(auth_id),
    location_id: place?.location.id,
    evse_uid: place?.evse?.uid,
    connector_id: place?.connector?.id,
    // "The total cost (excluding VAT) of the session".
    total_cost: total_cost === undefined ? undefined : { before_taxes: total_cost },
    charging_periods: charging_periods && chargingPeriodsFrom211(charging_periods),
  })
}

function sessionFieldsTo211<S extends Partial<Session>>(session: S) {
  const {
    country_code: _country, party_id: _party, start_date_time, end_date_time, cdr_token, auth_method, authorization_reference: _reference,
    location_id: _location, evse_uid: _evse, connector_id: _connector, total_cost, charging_periods, status, ...rest
  } = session
  return defined({
    ...rest,
    start_datetime: start_date_time,
    end_datetime: end_date_time,
    auth_id: cdr_token?.contract_id,
    auth_method: auth_method && authMethodTo211(auth_method),
    total_cost: total_cost?.before_taxes,
    charging_periods: charging_periods && chargingPeriodsTo211(charging_periods),
    status: status && statusTo211(status),
  })
}

export function sessionFrom211(session: Session211, owner: Owner = NO_OWNER): Session {
  return { ...sessionFieldsFrom211(session), country_code: owner.country_code, party_id: owner.party_id } as Session
}

/** `location`: the stored Location of the session, to embed; without it the embedded Location carries only the ids. */
export function sessionTo211(session: Session, location?: Location): Session211 {
  return { ...sessionFieldsTo211(session), location: embeddedLocation211(session, session.last_updated, location) } as Session211
}

export const session211: VersionAdapter<Session, Session211> = { schema: Session211, toCanonical: sessionFrom211, fromCanonical: (session) => sessionTo211(session) }
// A 2.1.1 PATCH need not carry last_updated: the canonical patch then has none, and the receiver stamps the time.
export const sessionPatch211: VersionAdapter<SessionPatch, SessionPatch211> = {
  schema: SessionPatch211,
  toCanonical: (patch) => sessionFieldsFrom211(patch) as SessionPatch,
  fromCanonical: (patch) => sessionFieldsTo211(patch) as SessionPatch211,
}

// ---- what is lost ----

const SESSIONS = 'mod_sessions.md'
export const session211Losses: readonly Loss[] = [
  { object: 'Session', field: 'country_code', direction: 'both', what: 'not sent; read from the connection\'s party', why: '2.1.1 objects do not name their party; a 2.1.1 connection serves one party', spec: 'credentials.md 2.1' },
  { object: 'Session', field: 'party_id', direction: 'both', what: 'not sent; read from the connection\'s party', why: 'as country_code', spec: 'credentials.md 2.1' },
  { object: 'Session', field: 'start_datetime', canonical: 'start_date_time', direction: 'both', what: 'renamed', why: 'renamed in 2.2', spec: `${SESSIONS} 3.1` },
  { object: 'Session', field: 'end_datetime', canonical: 'end_date_time', direction: 'both', what: 'renamed', why: 'renamed in 2.2', spec: `${SESSIONS} 3.1` },
  { object: 'Session', field: 'auth_id', canonical: 'cdr_token', direction: 'both', what: 'auth_id is cdr_token.contract_id; read as a token with uid = auth_id, type OTHER and no party (empty country_code and party_id): the receiver finds the token by contract_id', why: '2.1.1 refers to the Token by its auth_id only', spec: `${SESSIONS} 3.1, mod_tokens.md 3.2` },
  { object: 'Session', field: 'location', direction: 'both', what: 'read as location_id, evse_uid and connector_id of its first EVSE and connector, the rest dropped; sent as the stored Location narrowed to them when the caller passes it (sessionTo211), else a Location with only these ids (other required fields empty, zero or UNKNOWN)', why: '2.1.1 embeds the Location, 2.2 refers to it', spec: `${SESSIONS} 3.1` },
  { object: 'Session', field: 'location_id', direction: 'both', what: 'see location', why: 'added in 2.2 (also evse_uid, connector_id)', spec: `${SESSIONS} 3.1` },
  { object: 'Session', field: 'evse_uid', direction: 'both', what: 'see location', why: 'added in 2.2', spec: `${SESSIONS} 3.1` },
  { object: 'Session', field: 'connector_id', direction: 'both', what: 'see location', why: 'added in 2.2', spec: `${SESSIONS} 3.1` },
  { object: 'Session', field: 'total_cost', direction: 'both', what: 'a number excluding VAT; read as a Price with before_taxes only, sent as its before_taxes', why: '2.1.1: "The total cost (excluding VAT)"', spec: `${SESSIONS} 3.1` },
  { object: 'Session', field: 'authorization_reference', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.2', spec: `${SESSIONS} 3.1` },
  { object: 'Session', field: 'auth_method', direction: 'to 2.1.1', what: 'COMMAND becomes AUTH_REQUEST', why: '2.1.1 AuthMethod has AUTH_REQUEST and WHITELIST only', spec: 'mod_cdrs.md 4.1' },
  { object: 'Session', field: 'status', direction: 'to 2.1.1', what: 'RESERVATION becomes PENDING', why: 'added in 2.2; PENDING is "not yet started"', spec: `${SESSIONS} 4.1` },
  { object: 'Session', field: 'charging_periods', direction: 'both', what: 'FLAT dimensions are dropped from 2.1.1; to 2.1.1, dimensions 2.1.1 lacks and tariff_id are dropped; a period left without dimensions is left out', why: 'CdrDimensionType differs; ChargingPeriod.tariff_id added in 2.2', spec: 'mod_cdrs.md 4.3, 4.4' },
  { object: 'Session', field: 'currency', direction: 'to 2.1.1', what: 'sent as it is; a code longer than 3 (multi-currency extension) is not valid 2.1.1', why: 'string(3), ISO 4217', spec: `${SESSIONS} 3.1` },
  { object: 'Session', field: 'kwh', direction: 'from 2.1.1', what: 'kept; a negative value (which 2.3.0 refuses) is kept as is', why: '2.1.1 number has no minimum', spec: `${SESSIONS} 3.1` },
  { object: 'Session PATCH', field: 'location', direction: 'to 2.1.1', what: 'a change of location_id, evse_uid or connector_id is not sent', why: 'a PATCH cannot embed a whole Location without the stored one', spec: `${SESSIONS} 2.2.3` },
  { object: 'Session PATCH', field: 'last_updated', direction: 'from 2.1.1', what: 'absent when the PATCH has none; the receiver stamps the time of receipt', why: 'not required in a 2.1.1 PATCH', spec: `${SESSIONS} 2.2.3` },
]
