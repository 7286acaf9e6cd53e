import { z } from 'zod'
import { DateTime, DisplayText, URL } from '../../types'
import type { Owner, VersionAdapter } from '../../version-adapters'
import { BusinessDetails221, businessDetailsTo221, Image221, imageTo221 } from '../business-details'
import {
  type Connector, ConnectorFormat, type ConnectorPatch, EnergySource, EnvironmentalImpactCategory221, type EnergyMix, type EVSE, type EVSEPatch,
  type Hours, type Location, type LocationPatch, ParkingRestriction221, Status, StatusSchedule, uniqueIds,
} from '../location'
import { cut, defined, GeoLocation211, geoLocationTo211, isIn, type Loss, NO_OWNER, String211, Text211 } from './shared'

// Locations module of OCPI 2.1.1 (mod_locations.md, "Object description" and "Data types"), and the adapters between
// it and the canonical (2.3.0) Location, EVSE and Connector. `location211Losses` lists every field that does not
// survive the trip, and docs/ocpi-2.1.1.md shows the same list.

// ---- enums: the 2.1.1 value sets ----

const LOCATION_TYPES = ['ON_STREET', 'PARKING_GARAGE', 'UNDERGROUND_GARAGE', 'PARKING_LOT', 'OTHER', 'UNKNOWN'] as const
const CAPABILITIES = ['CHARGING_PROFILE_CAPABLE', 'CREDIT_CARD_PAYABLE', 'REMOTE_START_STOP_CAPABLE', 'RESERVABLE', 'RFID_READER', 'UNLOCK_CAPABLE'] as const
const CONNECTOR_TYPES = [
  'CHADEMO', 'DOMESTIC_A', 'DOMESTIC_B', 'DOMESTIC_C', 'DOMESTIC_D', 'DOMESTIC_E', 'DOMESTIC_F', 'DOMESTIC_G', 'DOMESTIC_H', 'DOMESTIC_I',
  'DOMESTIC_J', 'DOMESTIC_K', 'DOMESTIC_L', 'IEC_60309_2_single_16', 'IEC_60309_2_three_16', 'IEC_60309_2_three_32', 'IEC_60309_2_three_64',
  'IEC_62196_T1', 'IEC_62196_T1_COMBO', 'IEC_62196_T2', 'IEC_62196_T2_COMBO', 'IEC_62196_T3A', 'IEC_62196_T3C', 'TESLA_R', 'TESLA_S',
] as const
const FACILITIES = [
  'HOTEL', 'RESTAURANT', 'CAFE', 'MALL', 'SUPERMARKET', 'SPORT', 'RECREATION_AREA', 'NATURE', 'MUSEUM', 'BUS_STOP', 'TAXI_STAND',
  'TRAIN_STATION', 'AIRPORT', 'CARPOOL_PARKING', 'FUEL_STATION', 'WIFI',
] as const
const POWER_TYPES = ['AC_1_PHASE', 'AC_3_PHASE', 'DC'] as const

export const LocationType211 = z.enum(LOCATION_TYPES)
export const Capability211 = z.enum(CAPABILITIES)
export const ConnectorType211 = z.enum(CONNECTOR_TYPES)
export const Facility211 = z.enum(FACILITIES)
export const PowerType211 = z.enum(POWER_TYPES)

// ---- classes ----

export const AdditionalGeoLocation211 = GeoLocation211.extend({ name: DisplayText.optional() })

/** 4.19 RegularHours: the 2.1.1 regex is [0-2][0-9]:[0-5][0-9] (2.2.1 narrowed the hour to 00-23). */
const timeOfDay = /^[0-2][0-9]:[0-5][0-9]$/
export const RegularHours211 = z.object({
  weekday: z.number().int().min(1).max(7),
  period_begin: z.string().max(5).regex(timeOfDay, 'Must match [0-2][0-9]:[0-5][0-9]'),
  period_end: z.string().max(5).regex(timeOfDay, 'Must match [0-2][0-9]:[0-5][0-9]'),
})
export const ExceptionalPeriod211 = z.object({ period_begin: DateTime, period_end: DateTime })

/**
 * 4.13 Hours: "Choice: one of two" of regular_hours and twentyfourseven. The spec's own example (4.19.1) sends both,
 * with twentyfourseven false, so one of them must be there and both are accepted.
 */
export const Hours211 = z
  .object({
    regular_hours: z.array(RegularHours211).optional(),
    twentyfourseven: z.boolean().optional(),
    exceptional_openings: z.array(ExceptionalPeriod211).optional(),
    exceptional_closings: z.array(ExceptionalPeriod211).optional(),
  })
  .refine((hours) => hours.regular_hours !== undefined || hours.twentyfourseven !== undefined, {
    message: 'One of regular_hours or twentyfourseven is required',
    path: ['twentyfourseven'],
  })
export type Hours211 = z.infer<typeof Hours211>

/** 4.8 EnvironmentalImpact: the category is named `source` in 2.1.1 (`category` since 2.2). */
export const EnvironmentalImpact211 = z.object({ source: EnvironmentalImpactCategory221, amount: z.number() })
export const EnergyMix211 = z.object({
  is_green_energy: z.boolean(),
  energy_sources: z.array(EnergySource).optional(),
  environ_impact: z.array(EnvironmentalImpact211).optional(),
  supplier_name: Text211(64).optional(),
  energy_product_name: Text211(64).optional(),
})
export type EnergyMix211 = z.infer<typeof EnergyMix211>

// ---- objects ----

export const Connector211 = z.object({
  id: String211(36),
  standard: ConnectorType211,
  format: ConnectorFormat,
  power_type: PowerType211,
  voltage: z.number().int(),
  amperage: z.number().int(),
  tariff_id: String211(36).optional(),
  terms_and_conditions: URL.optional(),
  last_updated: DateTime,
})
export type Connector211 = z.infer<typeof Connector211>

export const EVSE211 = z.object({
  uid: String211(39),
  evse_id: String211(48).optional(),
  status: Status,
  status_schedule: z.array(StatusSchedule).optional(),
  capabilities: z.array(Capability211).optional(),
  connectors: uniqueIds(z.array(Connector211).min(1), 'id'),
  floor_level: Text211(4).optional(),
  coordinates: GeoLocation211.optional(),
  physical_reference: Text211(16).optional(),
  directions: z.array(DisplayText).optional(),
  parking_restrictions: z.array(ParkingRestriction221).optional(),
  images: z.array(Image221).optional(),
  last_updated: DateTime,
})
export type EVSE211 = z.infer<typeof EVSE211>

export const Location211 = z.object({
  id: String211(39),
  type: LocationType211,
  name: Text211(255).optional(),
  address: Text211(45),
  city: Text211(45),
  postal_code: Text211(10),
  country: String211(3),
  coordinates: GeoLocation211,
  related_locations: z.array(AdditionalGeoLocation211).optional(),
  evses: uniqueIds(z.array(EVSE211), 'uid').optional(),
  directions: z.array(DisplayText).optional(),
  operator: BusinessDetails221.optional(),
  suboperator: BusinessDetails221.optional(),
  owner: BusinessDetails221.optional(),
  facilities: z.array(Facility211).optional(),
  time_zone: String211(255).optional(),
  opening_times: Hours211.optional(),
  charging_when_closed: z.boolean().optional(),
  images: z.array(Image221).optional(),
  energy_mix: EnergyMix211.optional(),
  last_updated: DateTime,
})
export type Location211 = z.infer<typeof Location211>

// PATCH (mod_locations 2.2.3): "only the fields/objects that have to be updated have to be present"; unlike 2.2.1,
// last_updated is not required, and the spec's PATCH examples leave it out.
export const LocationPatch211 = Location211.partial()
export type LocationPatch211 = z.infer<typeof LocationPatch211>
export const EVSEPatch211 = EVSE211.partial()
export type EVSEPatch211 = z.infer<typeof EVSEPatch211>
export const ConnectorPatch211 = Connector211.partial()
export type ConnectorPatch211 = z.infer<typeof ConnectorPatch211>

// ---- 2.1.1 -> canonical ----

/** 2.1.1 has no time zone requirement; the canonical Location does. Without one, times are read as UTC (types.md 1.2). */
export const DEFAULT_TIME_ZONE_211 = 'UTC'

const parkingTypes = ['ON_STREET', 'PARKING_GARAGE', 'UNDERGROUND_GARAGE', 'PARKING_LOT'] as const
const isParkingType211 = isIn(parkingTypes)

export const energyMixFrom211 = ({ environ_impact, ...mix }: EnergyMix211): EnergyMix =>
  defined({ ...mix, environ_impact: environ_impact?.map(({ source, amount }) => ({ category: source, amount })) })

// twentyfourseven is required in the canonical Hours: regular hours alone mean "not 24/7".
export const hoursFrom211 = ({ twentyfourseven, ...hours }: Hours211): Hours => ({ ...hours, twentyfourseven: twentyfourseven ?? false })

function connectorFrom211<C extends Partial<Connector211>>({ voltage, amperage, tariff_id, ...connector }: C) {
  return defined({ ...connector, max_voltage: voltage, max_amperage: amperage, tariff_ids: tariff_id === undefined ? undefined : [tariff_id] })
}

function evseFrom211<E extends Partial<EVSE211>>({ connectors, ...evse }: E) {
  return defined({ ...evse, connectors: connectors?.map(connectorFrom211) })
}

function locationFieldsFrom211<L extends Partial<Location211>>({ type, evses, energy_mix, opening_times, ...location }: L) {
  return defined({
    ...location,
    parking_type: type !== undefined && isParkingType211(type) ? type : undefined,
    evses: evses?.map(evseFrom211),
    energy_mix: energy_mix && energyMixFrom211(energy_mix),
    opening_times: opening_times && hoursFrom211(opening_times),
  })
}

export function locationFrom211(location: Location211, owner: Owner = NO_OWNER): Location {
  const fields = locationFieldsFrom211(location)
  // 2.1.1 has no publish flag: a location a 2.1.1 CPO shares is one "with valid EVSEs" to show (GET List Response Data).
  return { ...fields, country_code: owner.country_code, party_id: owner.party_id, publish: true, time_zone: fields.time_zone ?? DEFAULT_TIME_ZONE_211 } as Location
}

// ---- canonical -> 2.1.1 ----

const isConnectorType211 = isIn(CONNECTOR_TYPES)
const isCapability211 = isIn(CAPABILITIES)
const isFacility211 = isIn(FACILITIES)
const isPowerType211 = isIn(POWER_TYPES)
const isParkingRestriction211 = isIn(ParkingRestriction221.options)
const isImpactCategory211 = isIn(EnvironmentalImpactCategory221.options)

/** Whether 2.1.1 can name this connector's standard; a connector it cannot name is left out of the EVSE. */
export const connectorFitsIn211 = (connector: { standard?: string }) => connector.standard === undefined || isConnectorType211(connector.standard)
/** Whether an EVSE keeps at least one connector in 2.1.1 (connectors: "+"); one that does not is left out of the Location. */
export const evseFitsIn211 = (evse: { connectors?: { standard?: string }[] }) => evse.connectors === undefined || evse.connectors.some(connectorFitsIn211)

export const energyMixTo211 = ({ environ_impact, ...mix }: EnergyMix): EnergyMix211 =>
  defined({
    ...mix,
    environ_impact: environ_impact?.filter((impact) => isImpactCategory211(impact.category)).map(({ category, amount }) => ({ source: category as z.infer<typeof EnvironmentalImpactCategory221>, amount })),
  })

/** AC_2_PHASE and AC_2_PHASE_SPLIT (2.3.0) are single-phase connections to 2.1.1's three values: AC_1_PHASE. */
export const powerTypeTo211 = (powerType: string) => (isPowerType211(powerType) ? powerType : 'AC_1_PHASE')

function connectorTo211<C extends Partial<Connector>>({ max_voltage, max_amperage, max_electric_power: _power, tariff_ids, capabilities: _capabilities, standard, power_type, ...connector }: C) {
  return defined({
    ...connector,
    standard: standard !== undefined && isConnectorType211(standard) ? standard : undefined,
    power_type: power_type === undefined ? undefined : powerTypeTo211(power_type),
    voltage: max_voltage,
    amperage: max_amperage,
    tariff_id: tariff_ids?.[0],
  })
}

function evseTo211<E extends Partial<EVSE>>({ parking: _parking, accepted_service_providers: _providers, connectors, capabilities, parking_restrictions, images, coordinates, ...evse }: E) {
  return defined({
    ...evse,
    capabilities: capabilities?.filter(isCapability211),
    parking_restrictions: parking_restrictions?.filter(isParkingRestriction211),
    images: images?.map(imageTo221),
    coordinates: coordinates && geoLocationTo211(coordinates),
    connectors: connectors?.filter(connectorFitsIn211).map(connectorTo211),
  })
}

function locationFieldsTo211<L extends Partial<Location>>(location: L) {
  const {
    country_code: _country, party_id: _party, publish: _publish, publish_allowed_to: _allowed, parking_type, parking_places: _places, help_phone: _phone,
    state: _state, address, evses, facilities, images, coordinates, related_locations, energy_mix, operator, suboperator, owner, ...rest
  } = location
  return defined({
    ...rest,
    type: parking_type === undefined ? undefined : isParkingType211(parking_type) ? parking_type : ('OTHER' as const),
    address: address === undefined ? undefined : cut(address, 45),
    evses: evses?.filter(evseFitsIn211).map(evseTo211),
    facilities: facilities?.filter(isFacility211),
    images: images?.map(imageTo221),
    coordinates: coordinates && geoLocationTo211(coordinates),
    related_locations: related_locations?.map(geoLocationTo211),
    energy_mix: energy_mix && energyMixTo211(energy_mix),
    operator: operator && businessDetailsTo221(operator),
    suboperator: suboperator && businessDetailsTo221(suboperator),
    owner: owner && businessDetailsTo221(owner),
  })
}

export function locationTo211(location: Location): Location211 {
  const fields = locationFieldsTo211(location)
  // LocationType is required in 2.1.1: "UNKNOWN: Parking location type is not known by the operator (default)".
  return { ...fields, type: fields.type ?? 'UNKNOWN', postal_code: fields.postal_code ?? '' } as Location211
}

// ---- adapters ----

export const location211: VersionAdapter<Location, Location211> = { schema: Location211, toCanonical: locationFrom211, fromCanonical: locationTo211 }
export const evse211: VersionAdapter<EVSE, EVSE211> = {
  schema: EVSE211,
  toCanonical: (evse) => evseFrom211(evse) as EVSE,
  fromCanonical: (evse) => evseTo211(evse) as EVSE211,
}
export const connector211: VersionAdapter<Connector, Connector211> = {
  schema: Connector211,
  toCanonical: (connector) => connectorFrom211(connector) as Connector,
  fromCanonical: (connector) => connectorTo211(connector) as Connector211,
}

// A 2.1.1 PATCH need not carry last_updated: the canonical patch then has none, and the receiver stamps the time it
// received the patch.
export const locationPatch211: VersionAdapter<LocationPatch, LocationPatch211> = {
  schema: LocationPatch211,
  toCanonical: (patch) => locationFieldsFrom211(patch) as LocationPatch,
  fromCanonical: (patch) => locationFieldsTo211(patch) as LocationPatch211,
}
export const evsePatch211: VersionAdapter<EVSEPatch, EVSEPatch211> = {
  schema: EVSEPatch211,
  toCanonical: (patch) => evseFrom211(patch) as EVSEPatch,
  fromCanonical: (patch) => evseTo211(patch) as EVSEPatch211,
}
export const connectorPatch211: VersionAdapter<ConnectorPatch, ConnectorPatch211> = {
  schema: ConnectorPatch211,
  toCanonical: (patch) => connectorFrom211(patch) as ConnectorPatch,
  fromCanonical: (patch) => connectorTo211(patch) as ConnectorPatch211,
}

// ---- what is lost ----

const LOCATIONS = 'mod_locations.md'
export const location211Losses: readonly Loss[] = [
  { object: 'Location', field: 'country_code', direction: 'both', what: 'not sent; read from the connection\'s party', why: '2.1.1 objects do not name their party; a 2.1.1 connection serves one party', spec: 'credentials.md 2.1' },
  { object: 'Location', field: 'party_id', direction: 'both', what: 'not sent; read from the connection\'s party', why: 'as country_code', spec: 'credentials.md 2.1' },
  { object: 'Location', field: 'publish', direction: 'both', what: 'not sent; read as true', why: '2.1.1 shares only locations to show; unpublished ones are not sent to a 2.1.1 peer at all', spec: `${LOCATIONS} 2.1.1 GET List Response Data` },
  { object: 'Location', field: 'publish_allowed_to', direction: 'to 2.1.1', what: 'dropped', why: 'no such field in 2.1.1', spec: `${LOCATIONS} 3.1` },
  { object: 'Location', field: 'type', direction: 'from 2.1.1', what: 'ON_STREET, PARKING_GARAGE, UNDERGROUND_GARAGE and PARKING_LOT become parking_type; OTHER and UNKNOWN leave parking_type out', why: '2.3.0 ParkingType has no OTHER or UNKNOWN', spec: `${LOCATIONS} 4.16` },
  { object: 'Location', field: 'parking_type', direction: 'to 2.1.1', what: 'sent as type; ALONG_MOTORWAY, ON_DRIVEWAY and other values become OTHER, none becomes UNKNOWN', why: 'type is required in 2.1.1 and has only these values', spec: `${LOCATIONS} 4.16` },
  { object: 'Location', field: 'parking_places', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.3.0', spec: `${LOCATIONS} 3.1` },
  { object: 'Location', field: 'help_phone', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.3.0', spec: `${LOCATIONS} 3.1` },
  { object: 'Location', field: 'state', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.2', spec: `${LOCATIONS} 3.1` },
  { object: 'Location', field: 'address', direction: 'to 2.1.1', what: 'cut to 45 characters', why: 'string(45) in 2.1.1, 255 in 2.3.0', spec: `${LOCATIONS} 3.1` },
  { object: 'Location', field: 'postal_code', direction: 'to 2.1.1', what: 'an empty string when absent', why: 'required in 2.1.1, optional since 2.2', spec: `${LOCATIONS} 3.1` },
  { object: 'Location', field: 'time_zone', direction: 'from 2.1.1', what: 'UTC when absent', why: 'optional in 2.1.1, required since 2.2; 2.1.1 times without a zone are UTC', spec: `${LOCATIONS} 3.1, types.md 1.2` },
  { object: 'Location', field: 'coordinates', direction: 'to 2.1.1', what: 'six decimals: a fifth gets a trailing zero, a seventh is cut off (also in related_locations and EVSE coordinates)', why: '2.1.1 GeoLocation has exactly six decimals', spec: `${LOCATIONS} 4.12` },
  { object: 'Location', field: 'facilities', direction: 'to 2.1.1', what: 'values 2.1.1 lacks (BIKE_SHARING, TRAM_STOP, METRO_STATION, PARKING_LOT, others) are left out', why: 'closed enum of 16 values in 2.1.1', spec: `${LOCATIONS} 4.11` },
  { object: 'Location', field: 'opening_times.twentyfourseven', direction: 'from 2.1.1', what: 'false when only regular_hours is given', why: 'a choice in 2.1.1, required since 2.2', spec: `${LOCATIONS} 4.13` },
  { object: 'Location', field: 'energy_mix.environ_impact', direction: 'both', what: '`source` is renamed `category`; categories 2.1.1 lacks are left out', why: 'the field was renamed in 2.2, the enum opened in 2.3.0', spec: `${LOCATIONS} 4.8` },
  { object: 'Location', field: 'images', direction: 'to 2.1.1', what: 'a category 2.1.1 lacks becomes OTHER (also in EVSE images and business details logos)', why: 'ImageCategory is closed in 2.1.1', spec: `${LOCATIONS} 4.15` },
  { object: 'Location', field: 'id', direction: 'from 2.1.1', what: 'kept as is; an id of 37 to 39 characters is longer than 2.2.1 and 2.3.0 allow', why: 'string(39) in 2.1.1, CiString(36) since 2.2', spec: `${LOCATIONS} 3.1` },
  { object: 'Location', field: 'evses', direction: 'to 2.1.1', what: 'an EVSE without any connector 2.1.1 can name is left out', why: 'connectors is "+" (at least one)', spec: `${LOCATIONS} 3.2` },
  { object: 'EVSE', field: 'uid', direction: 'from 2.1.1', what: 'kept as is; 37 to 39 characters is longer than 2.2.1 and 2.3.0 allow', why: 'string(39) in 2.1.1, CiString(36) since 2.2', spec: `${LOCATIONS} 3.2` },
  { object: 'EVSE', field: 'capabilities', direction: 'to 2.1.1', what: 'values 2.1.1 lacks are left out', why: 'closed enum of 6 values in 2.1.1', spec: `${LOCATIONS} 4.2` },
  { object: 'EVSE', field: 'parking_restrictions', direction: 'to 2.1.1', what: 'EMPLOYEES, TAXIS, TENANTS and other values are left out', why: 'closed enum in 2.1.1', spec: `${LOCATIONS} 4.17` },
  { object: 'EVSE', field: 'parking', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.3.0', spec: `${LOCATIONS} 3.2` },
  { object: 'EVSE', field: 'accepted_service_providers', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.3.0', spec: `${LOCATIONS} 3.2` },
  { object: 'EVSE', field: 'connectors', direction: 'to 2.1.1', what: 'a connector whose standard 2.1.1 cannot name is left out', why: 'ConnectorType is a closed enum of 25 values in 2.1.1', spec: `${LOCATIONS} 4.4` },
  { object: 'Connector', field: 'standard', direction: 'to 2.1.1', what: 'left out of a Connector PATCH when 2.1.1 cannot name it', why: 'closed enum in 2.1.1', spec: `${LOCATIONS} 4.4` },
  { object: 'Connector', field: 'voltage', canonical: 'max_voltage', direction: 'both', what: 'renamed max_voltage', why: 'renamed in 2.2', spec: `${LOCATIONS} 3.3` },
  { object: 'Connector', field: 'amperage', canonical: 'max_amperage', direction: 'both', what: 'renamed max_amperage', why: 'renamed in 2.2', spec: `${LOCATIONS} 3.3` },
  { object: 'Connector', field: 'tariff_id', canonical: 'tariff_ids', direction: 'both', what: 'becomes the one-element tariff_ids; from canonical only the first of tariff_ids is sent', why: 'one tariff per connector in 2.1.1', spec: `${LOCATIONS} 3.3` },
  { object: 'Connector', field: 'max_electric_power', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.2', spec: `${LOCATIONS} 3.3` },
  { object: 'Connector', field: 'capabilities', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.3.0', spec: `${LOCATIONS} 3.3` },
  { object: 'Connector', field: 'power_type', direction: 'to 2.1.1', what: 'AC_2_PHASE and AC_2_PHASE_SPLIT become AC_1_PHASE', why: '2.1.1 has AC_1_PHASE, AC_3_PHASE and DC only', spec: `${LOCATIONS} 4.18` },
  { object: 'Location PATCH', field: 'last_updated', direction: 'from 2.1.1', what: 'absent when the PATCH has none; the receiver stamps the time of receipt', why: 'not required in a 2.1.1 PATCH', spec: `${LOCATIONS} 2.2.3` },
]
