import { z } from 'zod'
import { CiString, CountryCode, DateTime, OcpiString, Role, URL } from '../types'
import type { VersionAdapters } from '../version-adapters'
import { ConnectorFormat, EVSEPosition, VehicleType } from './location'
import { TokenType } from './token'

// mod_bookings.asciidoc (2.3.0-booking-1.0), "Object description" and "Data types". The module exists only in 2.3.0,
// so every object has one shape; the 2.2.1 entries of the adapters are never reached (the module is not served there).

export const LocationAccess = z.enum(['OPEN', 'TOKEN', 'LICENSE_PLATE', 'ACCESS_CODE', 'INTERCOM', 'PARKING_TICKET'])
export const ReservationStatus = z.enum(['PENDING', 'RESERVED', 'CANCELED', 'FAILED', 'NO_SHOW', 'FULFILLED', 'REJECTED', 'UNKNOWN'])
export type ReservationStatus = z.infer<typeof ReservationStatus>
export const ReservationRequestStatus = z.enum(['PENDING', 'ACCEPTED', 'DECLINED', 'FAILED'])
export type ReservationRequestStatus = z.infer<typeof ReservationRequestStatus>
export const CanceledReason = z.enum(['POWER_OUTAGE', 'BROKEN_CHARGER', 'FULL', 'BLOCKED', 'TRAFFIC', 'BROKEN_VEHICLE', 'NO_CANCELED', 'UNKNOWN'])

export const Timeslot = z.object({
  start_from: DateTime,
  end_before: DateTime,
  min_power: z.number().optional(),
  max_power: z.number().optional(),
  green_energy_support: z.boolean().optional(),
})
export type Timeslot = z.infer<typeof Timeslot>

export const BookingTerms = z.object({
  RFID_auth_required: z.boolean().optional(),
  token_groups_supported: z.boolean().optional(),
  remote_auth_supported: z.boolean().optional(),
  supported_access_methods: z.array(LocationAccess).min(1),
  change_until_minutes: z.number(),
  cancel_until_minutes: z.number(),
  change_not_allowed: z.boolean().optional(),
  early_start_allowed: z.boolean().optional(),
  early_start_time: z.number().optional(),
  noshow_timeout: z.number().optional(),
  noshow_fee: z.boolean().optional(),
  late_stop_allowed: z.boolean().optional(),
  late_stop_time: z.number().optional(),
  overlapping_bookings_allowed: z.boolean().optional(),
  booking_terms: URL.optional(),
})
export type BookingTerms = z.infer<typeof BookingTerms>

export const BookableParkingOption = z.object({
  evse_position: EVSEPosition.optional(),
  vehicle_types: z.array(VehicleType).min(1),
  format: ConnectorFormat,
  max_vehicle_weight: z.number().optional(),
  max_vehicle_height: z.number().optional(),
  max_vehicle_length: z.number().optional(),
  max_vehicle_width: z.number().optional(),
  parking_space_length: z.number().optional(),
  parking_space_width: z.number().optional(),
  dangerous_goods_allowed: z.boolean().optional(),
  drive_through: z.boolean().optional(),
  restricted_to_type: z.boolean(),
  refrigeration_outlet: z.boolean().optional(),
})

export const Cancellation = z.object({ cancellation_reason: CanceledReason, who_canceled: Role })
export type Cancellation = z.infer<typeof Cancellation>
export const AccessMethod = z.object({ location_access: LocationAccess, value: OcpiString(255).optional() })

export const BookingToken = z.object({
  country_code: CountryCode,
  party_id: CiString(3),
  uid: CiString(36).min(1),
  type: TokenType,
  contract_id: CiString(36),
})

export const BookingRequest = z.object({
  country_code: CountryCode,
  party_id: CiString(3),
  request_id: CiString(36).min(1),
  bookable_parking_option: BookableParkingOption.optional(),
  location_id: CiString(36),
  evse_uid: CiString(36).optional(),
  connector_id: CiString(36).optional(),
  tokens: z.array(BookingToken).optional(),
  period: Timeslot,
  authorization_reference: CiString(36),
  power_required: z.number().int().optional(),
  canceled: Cancellation.optional(),
})
export type BookingRequest = z.infer<typeof BookingRequest>

export const BookingRequestStatus = z.object({
  request_status: ReservationRequestStatus,
  booking_request: BookingRequest,
  request_received: DateTime,
})
export type BookingRequestStatus = z.infer<typeof BookingRequestStatus>

export const Booking = z.object({
  id: CiString(36).min(1),
  country_code: CountryCode,
  party_id: CiString(3),
  request_id: CiString(36).min(1),
  bookable_parking_option: BookableParkingOption.optional(),
  parking_id: CiString(36).optional(),
  location_id: CiString(36),
  evse_uid: CiString(36).optional(),
  connector_id: CiString(36).optional(),
  booking_tokens: z.array(BookingToken).optional(),
  tariff_id: z.array(CiString(36)).optional(),
  period: Timeslot,
  reservation_status: ReservationStatus,
  canceled: Cancellation.optional(),
  access_methods: z.array(AccessMethod).optional(),
  authorization_reference: CiString(36),
  booking_terms: BookingTerms,
  booking_requests: z.array(BookingRequestStatus).min(1),
  last_updated: DateTime,
})
export type Booking = z.infer<typeof Booking>

/** A PATCH body: any subset of the fields, but last_updated is required (mod_bookings, "PATCH Method"). */
export const BookingPatch = Booking.partial().required({ last_updated: true })
export type BookingPatch = z.infer<typeof BookingPatch>

export const Calendar = z.object({
  id: CiString(36),
  begin_from: DateTime,
  end_before: DateTime,
  step_size: z.number().int().optional(),
  available_timeslots: z.array(Timeslot).min(1),
  last_updated: DateTime,
})
export type Calendar = z.infer<typeof Calendar>
export const CalendarPatch = Calendar.partial().required({ last_updated: true })

export const Bookable = z.object({ reservation_required: z.boolean(), ad_hoc: z.number().optional() })

export const BookingLocation = z.object({
  country_code: CountryCode,
  party_id: CiString(3),
  id: CiString(36).min(1),
  location_id: CiString(36),
  evse_uid: CiString(36).optional(),
  connector_id: CiString(36).optional(),
  bookable_parking_options: z.array(BookableParkingOption).optional(),
  bookable: Bookable.optional(),
  tariff_id: z.array(CiString(36)).optional(),
  booking_terms: z.array(BookingTerms).optional(),
  calendars: z.array(Calendar).optional(),
  last_updated: DateTime,
})
export type BookingLocation = z.infer<typeof BookingLocation>
export const BookingLocationPatch = BookingLocation.partial().required({ last_updated: true })

/** A BookingRequest PATCH as the release's examples show one (the chapter defines no such interface). */
export const BookingRequestPatch = BookingRequest.partial().extend({ last_updated: DateTime })

const sameIn = <T>(schema: z.ZodType<T>): VersionAdapters<T> => ({
  '2.3.0': { schema, toCanonical: (value: T) => value, fromCanonical: (value: T) => value },
  '2.2.1': { schema, toCanonical: (value: T) => value, fromCanonical: (value: T) => value },
})

export const bookingVersions = sameIn(Booking)
export const bookingPatchVersions = sameIn(BookingPatch)
export const bookingRequestVersions = sameIn(BookingRequest)
export const bookingRequestPatchVersions = sameIn(BookingRequestPatch)
export const bookingLocationVersions = sameIn(BookingLocation)
export const bookingLocationPatchVersions = sameIn(BookingLocationPatch)
export const calendarPatchVersions = sameIn(CalendarPatch)
