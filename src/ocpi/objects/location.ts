import { z } from 'zod'
import { CiString, DateTime, DisplayText, openEnum, OcpiString, URL } from '../types'
import { BusinessDetails, BusinessDetails221, businessDetailsTo221, Image, Image221, imageTo221 } from './business-details'
import { isTokenTypeIn221, TokenType, TokenType221 } from './token'
import type { VersionAdapters } from '../version-adapters'

// Locations module objects (mod_locations.asciidoc). The 2.3.0 shape is canonical; 2.2.1 differs by the fields and
// enum values 2.3.0 added (changelog "Changes between 2.2.1-d2 and 2.3.0") and by 2.2.1's closed enums.


// ---- enums: the 2.2.1 value sets, then what 2.3.0 added ----

const CONNECTOR_TYPES_221 = [
  'CHADEMO', 'CHAOJI', 'DOMESTIC_A', 'DOMESTIC_B', 'DOMESTIC_C', 'DOMESTIC_D', 'DOMESTIC_E', 'DOMESTIC_F', 'DOMESTIC_G',
  'DOMESTIC_H', 'DOMESTIC_I', 'DOMESTIC_J', 'DOMESTIC_K', 'DOMESTIC_L', 'DOMESTIC_M', 'DOMESTIC_N', 'DOMESTIC_O', 'GBT_AC',
  'GBT_DC', 'IEC_60309_2_single_16', 'IEC_60309_2_three_16', 'IEC_60309_2_three_32', 'IEC_60309_2_three_64', 'IEC_62196_T1',
  'IEC_62196_T1_COMBO', 'IEC_62196_T2', 'IEC_62196_T2_COMBO', 'IEC_62196_T3A', 'IEC_62196_T3C', 'NEMA_5_20', 'NEMA_6_30',
  'NEMA_6_50', 'NEMA_10_30', 'NEMA_10_50', 'NEMA_14_30', 'NEMA_14_50', 'PANTOGRAPH_BOTTOM_UP', 'PANTOGRAPH_TOP_DOWN', 'TESLA_R', 'TESLA_S',
] as const
const CONNECTOR_TYPES = [...CONNECTOR_TYPES_221, 'MCS', 'SAE_J3400'] as const
const CAPABILITIES = [
  'CHARGING_PROFILE_CAPABLE', 'CHARGING_PREFERENCES_CAPABLE', 'CHIP_CARD_SUPPORT', 'CONTACTLESS_CARD_SUPPORT', 'CREDIT_CARD_PAYABLE',
  'DEBIT_CARD_PAYABLE', 'PED_TERMINAL', 'REMOTE_START_STOP_CAPABLE', 'RESERVABLE', 'RFID_READER', 'START_SESSION_CONNECTOR_REQUIRED',
  'TOKEN_GROUP_CAPABLE', 'UNLOCK_CAPABLE',
] as const
const FACILITIES = [
  'HOTEL', 'RESTAURANT', 'CAFE', 'MALL', 'SUPERMARKET', 'SPORT', 'RECREATION_AREA', 'NATURE', 'MUSEUM', 'BIKE_SHARING', 'BUS_STOP',
  'TAXI_STAND', 'TRAM_STOP', 'METRO_STATION', 'TRAIN_STATION', 'AIRPORT', 'PARKING_LOT', 'CARPOOL_PARKING', 'FUEL_STATION', 'WIFI',
] as const
const PARKING_RESTRICTIONS_221 = ['EV_ONLY', 'PLUGGED', 'DISABLED', 'CUSTOMERS', 'MOTORCYCLES'] as const
const PARKING_RESTRICTIONS = [...PARKING_RESTRICTIONS_221, 'EMPLOYEES', 'TAXIS', 'TENANTS'] as const
const PARKING_TYPES = ['ALONG_MOTORWAY', 'PARKING_GARAGE', 'PARKING_LOT', 'ON_DRIVEWAY', 'ON_STREET', 'UNDERGROUND_GARAGE'] as const
const ENVIRONMENTAL_IMPACT_CATEGORIES = ['NUCLEAR_WASTE', 'CARBON_DIOXIDE'] as const
const VEHICLE_TYPES = [
  'MOTORCYCLE', 'PERSONAL_VEHICLE', 'PERSONAL_VEHICLE_WITH_TRAILER', 'VAN', 'SEMI_TRACTOR', 'RIGID', 'TRUCK_WITH_TRAILER', 'BUS', 'DISABLED',
] as const

export const Status = z.enum(['AVAILABLE', 'BLOCKED', 'CHARGING', 'INOPERATIVE', 'OUTOFORDER', 'PLANNED', 'REMOVED', 'RESERVED', 'UNKNOWN'])
export type Status = z.infer<typeof Status>
export const ConnectorFormat = z.enum(['SOCKET', 'CABLE'])
export const PowerType = z.enum(['AC_1_PHASE', 'AC_2_PHASE', 'AC_2_PHASE_SPLIT', 'AC_3_PHASE', 'DC'])
export const EnergySourceCategory = z.enum(['NUCLEAR', 'GENERAL_FOSSIL', 'COAL', 'GAS', 'GENERAL_GREEN', 'SOLAR', 'WIND', 'WATER'])
export const ConnectorType = openEnum(CONNECTOR_TYPES)
export const ConnectorType221 = z.enum(CONNECTOR_TYPES_221)
export const Capability = openEnum(CAPABILITIES)
export const Capability221 = z.enum(CAPABILITIES)
export const ConnectorCapability = openEnum(['ISO_15118_2_PLUG_AND_CHARGE', 'ISO_15118_20_PLUG_AND_CHARGE'])
export const Facility = openEnum(FACILITIES)
export const Facility221 = z.enum(FACILITIES)
export const ParkingRestriction = openEnum(PARKING_RESTRICTIONS)
export const ParkingRestriction221 = z.enum(PARKING_RESTRICTIONS_221)
export const ParkingType = openEnum(PARKING_TYPES)
export const ParkingType221 = z.enum(PARKING_TYPES)
export const EnvironmentalImpactCategory = openEnum(ENVIRONMENTAL_IMPACT_CATEGORIES)
export const EnvironmentalImpactCategory221 = z.enum(ENVIRONMENTAL_IMPACT_CATEGORIES)
export const VehicleType = openEnum(VEHICLE_TYPES)
export const EVSEPosition = z.enum(['LEFT', 'RIGHT', 'CENTER'])
export const ParkingDirection = z.enum(['PARALLEL', 'PERPENDICULAR', 'ANGLE'])

// ---- classes ----

/** WGS 84, as strings with the spec's regexes (GeoLocation class: five to seven decimals). */
export const GeoLocation = z.object({
  latitude: z.string().max(10).regex(/^-?[0-9]{1,2}\.[0-9]{5,7}$/, 'Must match -?[0-9]{1,2}\\.[0-9]{5,7}'),
  longitude: z.string().max(11).regex(/^-?[0-9]{1,3}\.[0-9]{5,7}$/, 'Must match -?[0-9]{1,3}\\.[0-9]{5,7}'),
})
export type GeoLocation = z.infer<typeof GeoLocation>
export const AdditionalGeoLocation = GeoLocation.extend({ name: DisplayText.optional() })


const period = /^([0-1][0-9]|2[0-3]):[0-5][0-9]$/
export const RegularHours = z.object({
  weekday: z.number().int().min(1).max(7),
  period_begin: z.string().regex(period, 'Must be HH:MM (24h)'),
  period_end: z.string().regex(period, 'Must be HH:MM (24h)'),
})
export const ExceptionalPeriod = z.object({ period_begin: DateTime, period_end: DateTime })
export const Hours = z.object({
  twentyfourseven: z.boolean(),
  regular_hours: z.array(RegularHours).optional(),
  exceptional_openings: z.array(ExceptionalPeriod).optional(),
  exceptional_closings: z.array(ExceptionalPeriod).optional(),
})
export type Hours = z.infer<typeof Hours>

export const EnergySource = z.object({ source: EnergySourceCategory, percentage: z.number().min(0).max(100) })
const energyMixFields = {
  is_green_energy: z.boolean(),
  energy_sources: z.array(EnergySource).optional(),
  supplier_name: OcpiString(64).optional(),
  energy_product_name: OcpiString(64).optional(),
}
export const EnergyMix = z.object({ ...energyMixFields, environ_impact: z.array(z.object({ category: EnvironmentalImpactCategory, amount: z.number() })).optional() })
export type EnergyMix = z.infer<typeof EnergyMix>
export const EnergyMix221 = z.object({ ...energyMixFields, environ_impact: z.array(z.object({ category: EnvironmentalImpactCategory221, amount: z.number() })).optional() })

/** PublishTokenType: at least one of uid, visual_number, group_id; uid needs type; visual_number needs issuer. */
const publishTokenType = <T extends z.ZodType>(tokenType: T) =>
  z
    .object({
      uid: CiString(36).optional(),
      type: tokenType.optional(),
      visual_number: OcpiString(64).optional(),
      issuer: OcpiString(64).optional(),
      group_id: CiString(36).optional(),
    })
    .superRefine((token, context) => {
      if (token.uid === undefined && token.visual_number === undefined && token.group_id === undefined) {
        context.addIssue({ code: 'custom', message: 'At least one of uid, visual_number or group_id must be set' })
      }
      if (token.uid !== undefined && token.type === undefined) context.addIssue({ code: 'custom', path: ['type'], message: 'Required when uid is set' })
      if (token.visual_number !== undefined && token.issuer === undefined) context.addIssue({ code: 'custom', path: ['issuer'], message: 'Required when visual_number is set' })
    })
export const PublishTokenType = publishTokenType(TokenType)
export type PublishTokenType = z.infer<typeof PublishTokenType>
export const PublishTokenType221 = publishTokenType(TokenType221)

export const StatusSchedule = z.object({ period_begin: DateTime, period_end: DateTime.optional(), status: Status })

/** 2.3.0: a parking space usable while charging (AFIR reporting to NAPs). */
export const Parking = z.object({
  id: CiString(36),
  physical_reference: OcpiString(12).optional(),
  vehicle_types: z.array(VehicleType).min(1),
  max_vehicle_weight: z.number().optional(),
  max_vehicle_height: z.number().optional(),
  max_vehicle_length: z.number().optional(),
  max_vehicle_width: z.number().optional(),
  parking_space_length: z.number().optional(),
  parking_space_width: z.number().optional(),
  dangerous_goods_allowed: z.boolean().optional(),
  direction: ParkingDirection.optional(),
  drive_through: z.boolean().optional(),
  restricted_to_type: z.boolean(),
  reservation_required: z.boolean(),
  time_limit: z.number().optional(),
  roofed: z.boolean().optional(),
  images: z.array(Image).optional(),
  lighting: z.boolean().optional(),
  refrigeration_outlet: z.boolean().optional(),
  standards: z.array(CiString(36)).optional(),
  apds_reference: CiString(255).optional(),
})
export type Parking = z.infer<typeof Parking>
export const EVSEParking = z.object({ parking_id: CiString(36), evse_position: EVSEPosition.optional() })

// ---- objects ----

/**
 * EVSE uids within a Location and connector ids within an EVSE identify what PUT and PATCH of one EVSE or connector
 * address (mod_locations, Receiver interface URLs): two alike would make those writes ambiguous. CiStrings: any case.
 */
export function uniqueIds<T extends z.ZodArray<z.ZodObject<Record<K, z.ZodType<string>>>>, K extends string>(array: T, key: K): T {
  return array.superRefine((items, context) => {
    const seen = new Set<string>()
    items.forEach((item, index) => {
      const id = String((item as Record<K, string>)[key]).toUpperCase()
      if (seen.has(id)) context.addIssue({ code: 'custom', path: [index, key], message: `${key} ${id} appears twice` })
      seen.add(id)
    })
  }) as T
}

const connectorFields = {
  id: CiString(36),
  format: ConnectorFormat,
  power_type: PowerType,
  // Magnitudes (mod_locations Connector): a negative voltage, current or power is not a connector.
  max_voltage: z.number().int().min(0),
  max_amperage: z.number().int().min(0),
  max_electric_power: z.number().int().min(0).optional(),
  tariff_ids: z.array(CiString(36)).optional(),
  terms_and_conditions: URL.optional(),
  last_updated: DateTime,
}
export const Connector = z.object({ ...connectorFields, standard: ConnectorType, capabilities: z.array(ConnectorCapability).optional() })
export type Connector = z.infer<typeof Connector>
export const Connector221 = z.object({ ...connectorFields, standard: ConnectorType221 })
export type Connector221 = z.infer<typeof Connector221>

const evseFields = {
  uid: CiString(36),
  evse_id: CiString(48).optional(),
  status: Status,
  status_schedule: z.array(StatusSchedule).optional(),
  floor_level: OcpiString(4).optional(),
  coordinates: GeoLocation.optional(),
  physical_reference: OcpiString(16).optional(),
  directions: z.array(DisplayText).optional(),
  last_updated: DateTime,
}
export const EVSE = z.object({
  ...evseFields,
  capabilities: z.array(Capability).optional(),
  connectors: uniqueIds(z.array(Connector).min(1), 'id'),
  parking_restrictions: z.array(ParkingRestriction).optional(),
  parking: z.array(EVSEParking).optional(),
  images: z.array(Image).optional(),
  accepted_service_providers: z.array(OcpiString(50)).optional(),
})
export type EVSE = z.infer<typeof EVSE>
export const EVSE221 = z.object({
  ...evseFields,
  capabilities: z.array(Capability221).optional(),
  connectors: uniqueIds(z.array(Connector221).min(1), 'id'),
  parking_restrictions: z.array(ParkingRestriction221).optional(),
  images: z.array(Image221).optional(),
})
export type EVSE221 = z.infer<typeof EVSE221>

const locationFields = {
  country_code: CiString(2),
  party_id: CiString(3),
  id: CiString(36),
  publish: z.boolean(),
  name: OcpiString(255).optional(),
  // 2.3.0 note: earlier releases "mistakenly gave maximum lengths of 45 and 20 for the address and state fields";
  // 2.2.1 peers are held to the corrected limits too, so a 2.3.0 address never fails on its way to a 2.2.1 peer.
  address: OcpiString(255),
  city: OcpiString(45),
  postal_code: OcpiString(10).optional(),
  state: OcpiString(45).optional(),
  country: OcpiString(3),
  coordinates: GeoLocation,
  related_locations: z.array(AdditionalGeoLocation).optional(),
  directions: z.array(DisplayText).optional(),
  time_zone: OcpiString(255),
  charging_when_closed: z.boolean().optional(),
  opening_times: Hours.optional(),
  last_updated: DateTime,
}
export const Location = z.object({
  ...locationFields,
  publish_allowed_to: z.array(PublishTokenType).optional(),
  parking_type: ParkingType.optional(),
  evses: uniqueIds(z.array(EVSE), 'uid').optional(),
  parking_places: z.array(Parking).optional(),
  operator: BusinessDetails.optional(),
  suboperator: BusinessDetails.optional(),
  owner: BusinessDetails.optional(),
  facilities: z.array(Facility).optional(),
  images: z.array(Image).optional(),
  energy_mix: EnergyMix.optional(),
  help_phone: CiString(25).optional(),
})
export type Location = z.infer<typeof Location>
export const Location221 = z.object({
  ...locationFields,
  publish_allowed_to: z.array(PublishTokenType221).optional(),
  parking_type: ParkingType221.optional(),
  evses: uniqueIds(z.array(EVSE221), 'uid').optional(),
  operator: BusinessDetails221.optional(),
  suboperator: BusinessDetails221.optional(),
  owner: BusinessDetails221.optional(),
  facilities: z.array(Facility221).optional(),
  images: z.array(Image221).optional(),
  energy_mix: EnergyMix221.optional(),
})
export type Location221 = z.infer<typeof Location221>

// ---- PATCH bodies: any subset of fields, but `last_updated` always ("Any request to the PATCH method SHALL contain the last_updated field") ----

export const LocationPatch = Location.partial().extend({ last_updated: DateTime })
export type LocationPatch = z.infer<typeof LocationPatch>
export const LocationPatch221 = Location221.partial().extend({ last_updated: DateTime })
export const EVSEPatch = EVSE.partial().extend({ last_updated: DateTime })
export type EVSEPatch = z.infer<typeof EVSEPatch>
export const EVSEPatch221 = EVSE221.partial().extend({ last_updated: DateTime })
export const ConnectorPatch = Connector.partial().extend({ last_updated: DateTime })
export type ConnectorPatch = z.infer<typeof ConnectorPatch>
export const ConnectorPatch221 = Connector221.partial().extend({ last_updated: DateTime })

// ---- 2.3.0 -> 2.2.1: drop what 2.2.1 lacks, and values outside its closed enums ----

const knownIn = <T extends string>(values: readonly T[]) => (value: string): value is T => (values as readonly string[]).includes(value)
const isConnectorType221 = knownIn(CONNECTOR_TYPES_221)
const isCapability221 = knownIn(CAPABILITIES)
const isFacility221 = knownIn(FACILITIES)
const isParkingRestriction221 = knownIn(PARKING_RESTRICTIONS_221)
const isParkingType221 = knownIn(PARKING_TYPES)
const isImpactCategory221 = knownIn(ENVIRONMENTAL_IMPACT_CATEGORIES)

/** Sets `key` only when the value is defined, so converted objects carry no `undefined` members. */
function withOptional<T extends object, K extends string, V>(object: T, key: K, value: V | undefined): T & { [k in K]?: V } {
  return value === undefined ? object : { ...object, [key]: value }
}

const energyMixTo221 = (mix: EnergyMix) =>
  withOptional(mix, 'environ_impact', mix.environ_impact?.filter((impact) => isImpactCategory221(impact.category)))

export function connectorTo221<C extends Partial<Connector>>({ capabilities: _capabilities, ...connector }: C) {
  if (connector.standard !== undefined && !isConnectorType221(connector.standard)) {
    const { standard: _standard, ...rest } = connector
    return rest
  }
  return connector
}

/** Whether a connector can be expressed in 2.2.1 at all: its standard must be in 2.2.1's closed ConnectorType enum. */
const connectorFitsIn221 = (connector: Connector) => isConnectorType221(connector.standard)

export function evseTo221<E extends Partial<EVSE>>({ parking: _parking, accepted_service_providers: _providers, ...evse }: E) {
  let converted: Record<string, unknown> = { ...evse }
  if (evse.capabilities) converted.capabilities = evse.capabilities.filter(isCapability221)
  if (evse.parking_restrictions) converted.parking_restrictions = evse.parking_restrictions.filter(isParkingRestriction221)
  if (evse.images) converted.images = evse.images.map(imageTo221)
  // A 2.3.0-only connector standard (MCS, SAE_J3400) cannot be sent to a 2.2.1 peer: that connector is left out.
  if (evse.connectors) converted.connectors = evse.connectors.filter(connectorFitsIn221).map(connectorTo221)
  return converted as Omit<E, 'parking' | 'accepted_service_providers'>
}

export function locationTo221<L extends Partial<Location>>({ parking_places: _parking, help_phone: _phone, ...location }: L) {
  const converted: Record<string, unknown> = { ...location }
  if (location.evses) {
    // An EVSE left without any connector 2.2.1 can express is not valid there (connectors: "+"), so it is left out.
    converted.evses = location.evses.map(evseTo221).filter((evse) => (evse.connectors?.length ?? 0) > 0)
  }
  if (location.parking_type !== undefined && !isParkingType221(location.parking_type)) delete converted.parking_type
  if (location.facilities) converted.facilities = location.facilities.filter(isFacility221)
  if (location.images) converted.images = location.images.map(imageTo221)
  if (location.energy_mix) converted.energy_mix = energyMixTo221(location.energy_mix)
  for (const field of ['operator', 'suboperator', 'owner'] as const) {
    const details = location[field]
    if (details) converted[field] = businessDetailsTo221(details)
  }
  if (location.publish_allowed_to) {
    // An EMAID publish token has no 2.2.1 type: keep its other identifying fields, which still match a token there.
    converted.publish_allowed_to = location.publish_allowed_to
      .map(({ uid, type, ...token }) => (type === undefined || isTokenTypeIn221(type) ? { uid, type, ...token } : token))
      .map((token) => Object.fromEntries(Object.entries(token).filter(([, value]) => value !== undefined)))
      .filter((token) => Object.keys(token).some((field) => field === 'uid' || field === 'visual_number' || field === 'group_id'))
  }
  return converted as Omit<L, 'parking_places' | 'help_phone'>
}

// ---- version adapters: every 2.2.1 value is valid 2.3.0, so 2.2.1 -> canonical is the identity ----

const identity = <T>(value: T) => value

export const locationVersionsFrom221: VersionAdapters<Location> = {
  '2.3.0': { schema: Location, toCanonical: identity, fromCanonical: identity },
  '2.2.1': { schema: Location221, toCanonical: (location: Location221): Location => location, fromCanonical: (location) => locationTo221(location) as Location221 },
}
export const evseVersionsFrom221: VersionAdapters<EVSE> = {
  '2.3.0': { schema: EVSE, toCanonical: identity, fromCanonical: identity },
  '2.2.1': { schema: EVSE221, toCanonical: (evse: EVSE221): EVSE => evse, fromCanonical: (evse) => evseTo221(evse) as EVSE221 },
}
export const connectorVersionsFrom221: VersionAdapters<Connector> = {
  '2.3.0': { schema: Connector, toCanonical: identity, fromCanonical: identity },
  '2.2.1': { schema: Connector221, toCanonical: (connector: Connector221): Connector => connector, fromCanonical: (connector) => connectorTo221(connector) as Connector221 },
}
export const locationPatchVersionsFrom221: VersionAdapters<LocationPatch> = {
  '2.3.0': { schema: LocationPatch, toCanonical: identity, fromCanonical: identity },
  '2.2.1': { schema: LocationPatch221, toCanonical: (patch: z.infer<typeof LocationPatch221>): LocationPatch => patch, fromCanonical: (patch) => locationTo221(patch) },
}
export const evsePatchVersionsFrom221: VersionAdapters<EVSEPatch> = {
  '2.3.0': { schema: EVSEPatch, toCanonical: identity, fromCanonical: identity },
  '2.2.1': { schema: EVSEPatch221, toCanonical: (patch: z.infer<typeof EVSEPatch221>): EVSEPatch => patch, fromCanonical: (patch) => evseTo221(patch) },
}
export const connectorPatchVersionsFrom221: VersionAdapters<ConnectorPatch> = {
  '2.3.0': { schema: ConnectorPatch, toCanonical: identity, fromCanonical: identity },
  '2.2.1': { schema: ConnectorPatch221, toCanonical: (patch: z.infer<typeof ConnectorPatch221>): ConnectorPatch => patch, fromCanonical: (patch) => connectorTo221(patch) },
}
