import { z } from 'zod'
import { DateTime } from '../../types'
import type { Owner, VersionAdapter } from '../../version-adapters'
import type { CDR, CdrLocation, ChargingPeriod } from '../cdr'
import type { Location211 } from './location'
import { powerTypeTo211 } from './location'
import {
  AuthMethod211, authMethodTo211, cdrTokenFrom211, ChargingPeriod211, chargingPeriodsFrom211, chargingPeriodsTo211, EmbeddedLocation211, placeOf211,
} from './session'
import { cut, defined, geoLocationTo211, type Loss, NO_OWNER, String211, Text211 } from './shared'
import { Tariff211, tariffFrom211, tariffTo211 } from './tariff'

// CDRs module of OCPI 2.1.1 (mod_cdrs.md, "Object description"), and the adapters between it and the canonical
// (2.3.0) CDR. `cdr211Losses` lists what does not survive the trip.

export const CDR211 = z.object({
  id: String211(36),
  start_date_time: DateTime,
  stop_date_time: DateTime,
  auth_id: String211(36),
  auth_method: AuthMethod211,
  location: EmbeddedLocation211,
  meter_id: Text211(255).optional(),
  currency: String211(3),
  tariffs: z.array(Tariff211).optional(),
  charging_periods: z.array(ChargingPeriod211).min(1),
  total_cost: z.number(),
  total_energy: z.number(),
  total_time: z.number(),
  total_parking_time: z.number().optional(),
  remark: Text211(255).optional(),
  last_updated: DateTime,
})
export type CDR211 = z.infer<typeof CDR211>

/**
 * A CDR has at least one charging period in both versions ("+"). Where none is left once the dimensions the other
 * version lacks are dropped, the CDR's whole duration is one period of charging time.
 */
const atLeastOnePeriod = <P>(periods: P[], start: string, totalTime: number, period: (start: string, hours: number) => P): P[] =>
  periods.length > 0 ? periods : [period(start, totalTime)]

function cdrLocationFrom211(location: Location211): CdrLocation {
  const { evse, connector } = placeOf211(location)
  return defined({
    id: location.id,
    name: location.name,
    address: location.address,
    city: location.city,
    postal_code: location.postal_code,
    country: location.country,
    coordinates: location.coordinates,
    // EmbeddedLocation211 guarantees the EVSE, and an EVSE has a connector ("+").
    evse_uid: evse!.uid,
    // Optional in 2.1.1 (an EVSE ID can be withdrawn), required in the CDR since 2.2: empty when the CPO sent none.
    evse_id: evse!.evse_id ?? '',
    connector_id: connector!.id,
    connector_standard: connector!.standard,
    connector_format: connector!.format,
    connector_power_type: connector!.power_type,
  })
}

/** The Location a 2.1.1 CDR embeds, from what the canonical CDR keeps of it; what the CDR does not keep is UNKNOWN or zero. */
function locationOf(cdrLocation: CdrLocation, lastUpdated: string): Location211 {
  const connector = {
    id: cdrLocation.connector_id,
    standard: cdrLocation.connector_standard,
    format: cdrLocation.connector_format,
    power_type: powerTypeTo211(cdrLocation.connector_power_type),
    voltage: 0,
    amperage: 0,
    last_updated: lastUpdated,
  }
  const evse = defined({ uid: cdrLocation.evse_uid, evse_id: cdrLocation.evse_id || undefined, status: 'UNKNOWN' as const, connectors: [connector], last_updated: lastUpdated })
  return defined({
    id: cdrLocation.id,
    type: 'UNKNOWN' as const,
    name: cdrLocation.name,
    address: cut(cdrLocation.address, 45),
    city: cdrLocation.city,
    postal_code: cdrLocation.postal_code ?? '',
    country: cdrLocation.country,
    coordinates: geoLocationTo211(cdrLocation.coordinates),
    evses: [evse],
    last_updated: lastUpdated,
  }) as Location211
}

export function cdrFrom211(cdr: CDR211, owner: Owner = NO_OWNER): CDR {
  const { stop_date_time, auth_id, location, tariffs, charging_periods, total_cost, ...rest } = cdr
  const periods = chargingPeriodsFrom211(charging_periods)
  return defined({
    ...rest,
    country_code: owner.country_code,
    party_id: owner.party_id,
    end_date_time: stop_date_time,
    cdr_token: cdrTokenFrom211(auth_id),
    cdr_location: cdrLocationFrom211(location),
    tariffs: tariffs?.map((tariff) => tariffFrom211(tariff, owner)),
    charging_periods: atLeastOnePeriod<ChargingPeriod>(periods, cdr.start_date_time, cdr.total_time, (start, hours) => ({ start_date_time: start, dimensions: [{ type: 'TIME', volume: hours }] })),
    // "Total cost (excluding VAT) of this transaction."
    total_cost: { before_taxes: total_cost },
  }) as CDR
}

export function cdrTo211(cdr: CDR): CDR211 {
  const {
    country_code: _country, party_id: _party, end_date_time, session_id: _session, cdr_token, auth_method, authorization_reference: _reference, cdr_location,
    tariffs, charging_periods, signed_data: _signed, total_cost, total_fixed_cost: _fixed, total_energy_cost: _energy, total_time_cost: _time,
    total_parking_cost: _parking, total_reservation_cost: _reservation, invoice_reference_id: _invoice, credit: _credit, credit_reference_id: _creditReference,
    home_charging_compensation: _home, cost_breakdown: _breakdown, booking_id: _booking, ...rest
  } = cdr
  const periods = chargingPeriodsTo211(charging_periods)
  return defined({
    ...rest,
    stop_date_time: end_date_time,
    auth_id: cdr_token.contract_id,
    auth_method: authMethodTo211(auth_method),
    location: locationOf(cdr_location, cdr.last_updated),
    tariffs: tariffs?.map((tariff) => tariffTo211({ ...tariff, tax_included: tariff.tax_included ?? 'NO' })),
    charging_periods: atLeastOnePeriod<ChargingPeriod211>(periods, cdr.start_date_time, cdr.total_time, (start, hours) => ({ start_date_time: start, dimensions: [{ type: 'TIME', volume: hours }] })),
    total_cost: total_cost.before_taxes,
  }) as CDR211
}

export const cdr211: VersionAdapter<CDR, CDR211> = { schema: CDR211, toCanonical: cdrFrom211, fromCanonical: cdrTo211 }

// ---- what is lost ----

const CDRS = 'mod_cdrs.md'
const dropped = (field: string): Loss => ({ object: 'CDR', field, direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.2 or 2.3.0', spec: `${CDRS} 3.1` })
export const cdr211Losses: readonly Loss[] = [
  { object: 'CDR', field: 'country_code', direction: 'both', what: 'not sent; read from the connection\'s party', why: '2.1.1 objects do not name their party; a 2.1.1 connection serves one party', spec: 'credentials.md 2.1' },
  { object: 'CDR', field: 'party_id', direction: 'both', what: 'not sent; read from the connection\'s party', why: 'as country_code', spec: 'credentials.md 2.1' },
  { object: 'CDR', field: 'stop_date_time', canonical: 'end_date_time', direction: 'both', what: 'renamed', why: 'renamed in 2.2', spec: `${CDRS} 3.1` },
  { object: 'CDR', field: 'auth_id', canonical: 'cdr_token', direction: 'both', what: 'auth_id is cdr_token.contract_id; read as a token with uid = auth_id, type OTHER and no party (empty country_code and party_id): the receiver finds the token by contract_id', why: '2.1.1 refers to the Token by its auth_id only', spec: `${CDRS} 3.1` },
  { object: 'CDR', field: 'location', canonical: 'cdr_location', direction: 'both', what: 'read as cdr_location from the Location and its first EVSE and connector (evse_id empty when absent), the rest dropped; sent as a Location built from cdr_location, with type and EVSE status UNKNOWN, voltage and amperage 0, and the CDR\'s last_updated', why: '2.1.1 embeds the Location, 2.2 keeps a CdrLocation', spec: `${CDRS} 3.1` },
  { object: 'CDR', field: 'total_cost', direction: 'both', what: 'a number excluding VAT; read as a Price with before_taxes only, sent as its before_taxes', why: '2.1.1: "Total cost (excluding VAT)"', spec: `${CDRS} 3.1` },
  { object: 'CDR', field: 'tariffs', direction: 'both', what: 'as the Tariff losses; read with tax_included NO', why: 'see Tariff', spec: 'mod_tariffs.md 3.1' },
  { object: 'CDR', field: 'charging_periods', direction: 'both', what: 'as in Session; when no period is left, one period of TIME over total_time from start_date_time', why: 'charging_periods is "+" in both versions', spec: `${CDRS} 4.4` },
  { object: 'CDR', field: 'auth_method', direction: 'to 2.1.1', what: 'COMMAND becomes AUTH_REQUEST', why: '2.1.1 AuthMethod has AUTH_REQUEST and WHITELIST only', spec: `${CDRS} 4.1` },
  { object: 'CDR', field: 'id', direction: 'to 2.1.1', what: 'sent as it is; 37 to 39 characters (a credit CDR\'s suffix) is not valid 2.1.1', why: 'CiString(36) in 2.1.1, 39 since 2.2', spec: `${CDRS} 3.1` },
  { object: 'CDR', field: 'currency', direction: 'to 2.1.1', what: 'sent as it is; a code longer than 3 (multi-currency extension) is not valid 2.1.1', why: 'string(3), ISO 4217', spec: `${CDRS} 3.1` },
  { object: 'CDR', field: 'cdr_location.connector_standard', direction: 'to 2.1.1', what: 'sent as it is: the CDR is a billing record, and a standard 2.1.1 cannot name is not changed into another; connector_power_type AC_2_PHASE and AC_2_PHASE_SPLIT become AC_1_PHASE', why: 'closed enums in 2.1.1', spec: 'mod_locations.md 4.4, 4.18' },
  dropped('session_id'),
  dropped('authorization_reference'),
  dropped('signed_data'),
  dropped('total_fixed_cost'),
  dropped('total_energy_cost'),
  dropped('total_time_cost'),
  dropped('total_parking_cost'),
  dropped('total_reservation_cost'),
  dropped('invoice_reference_id'),
  dropped('credit'),
  dropped('credit_reference_id'),
  dropped('home_charging_compensation'),
  { object: 'CDR', field: 'cost_breakdown', direction: 'to 2.1.1', what: 'dropped', why: 'an extension field (x-cdr-cost-breakdown), agreed per peer from 2.2.1 on', spec: 'docs/extensions/cdr-cost-breakdown.md' },
  { object: 'CDR', field: 'booking_id', direction: 'to 2.1.1', what: 'dropped', why: 'defined by the 2.3.0 bookings release, sent only to 2.3.0 peers that agreed to Booking', spec: 'docs/bookings.md' },
]
