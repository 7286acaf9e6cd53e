import { z } from 'zod'
import {
  bookingLocationPatchVersions, bookingLocationVersions, bookingPatchVersions, bookingRequestPatchVersions, bookingVersions, calendarPatchVersions,
} from '../../src/ocpi/objects/booking'
import { CDR } from '../../src/ocpi/objects/cdr'
import { cdrVersions } from '../../src/ocpi/objects/version-maps'
import { Credentials, Credentials221, Version, VersionDetails } from '../../src/ocpi/objects/credentials'
import { EnergyMix, EnergyMix221, Hours } from '../../src/ocpi/objects/location'
import { connectorPatchVersions, evsePatchVersions, evseVersions, locationPatchVersions, locationVersions } from '../../src/ocpi/objects/version-maps'
import { sessionPatchVersions, sessionVersions } from '../../src/ocpi/objects/version-maps'
import { tariffVersions } from '../../src/ocpi/objects/version-maps'
import { tokenPatchVersions, tokenVersions } from '../../src/ocpi/objects/version-maps'
import { DisplayText } from '../../src/ocpi/types'
import type { VersionAdapters } from '../../src/ocpi/version-adapters'

// The objects a spec example can show, each with the version adapters the platform reads and writes it with. Objects
// without a version difference or without a canonical form are read and written as they are.

const asIs = <T>(schema221: z.ZodType<T>, schema230: z.ZodType<T> = schema221): VersionAdapters<T> => ({
  '2.2.1': { schema: schema221, toCanonical: (value: T) => value, fromCanonical: (value: T) => value },
  '2.3.0': { schema: schema230, toCanonical: (value: T) => value, fromCanonical: (value: T) => value },
})

export const exampleObjects = {
  Booking: bookingVersions,
  Booking_PATCH: bookingPatchVersions,
  BookingLocation: bookingLocationVersions,
  BookingLocation_PATCH: bookingLocationPatchVersions,
  BookingRequest_PATCH: bookingRequestPatchVersions,
  Calendar_PATCH: calendarPatchVersions,
  CDR: cdrVersions,
  Connector_PATCH: connectorPatchVersions,
  Credentials: asIs<z.infer<typeof Credentials>>(Credentials221 as z.ZodType<z.infer<typeof Credentials>>, Credentials),
  DisplayText: asIs(DisplayText),
  EnergyMix: asIs<z.infer<typeof EnergyMix>>(EnergyMix221 as z.ZodType<z.infer<typeof EnergyMix>>, EnergyMix),
  EVSE: evseVersions,
  EVSE_PATCH: evsePatchVersions,
  Hours: asIs(Hours),
  Location: locationVersions,
  Location_PATCH: locationPatchVersions,
  Session: sessionVersions,
  Session_PATCH: sessionPatchVersions,
  Tariff: tariffVersions,
  Token: tokenVersions,
  Token_PATCH: tokenPatchVersions,
  Version_list: asIs(z.array(Version)),
  VersionDetails: asIs(VersionDetails),
} satisfies Record<string, VersionAdapters<any>> // eslint-disable-line @typescript-eslint/no-explicit-any

export type ExampleObject = keyof typeof exampleObjects
