import { z } from 'zod'
import { CiString, DateTime, OcpiString, Price, Price221, priceFrom221, priceTo221 } from '../types'
import type { VersionAdapters } from '../version-adapters'
import { ConnectorFormat, ConnectorType, ConnectorType221, GeoLocation, PowerType } from './location'
import { Currency, Tariff, Tariff221, tariffFrom221, tariffTo221, TaxIncluded } from './tariff'
import { isTokenTypeIn221, TokenType, TokenType221 } from './token'
import { CdrCostBreakdown } from './cdr-cost-breakdown'

// mod_cdrs.asciidoc, "Object description" and "Data types". The 2.3.0 shape is canonical. The classes Sessions share
// with CDRs (CdrToken, ChargingPeriod, CdrDimension, AuthMethod) are defined here, where the spec defines them.

export const AuthMethod = z.enum(['AUTH_REQUEST', 'COMMAND', 'WHITELIST'])
export type AuthMethod = z.infer<typeof AuthMethod>

export const CdrDimensionType = z.enum([
  'CURRENT', 'ENERGY', 'ENERGY_EXPORT', 'ENERGY_IMPORT', 'MAX_CURRENT', 'MIN_CURRENT', 'MAX_POWER', 'MIN_POWER',
  'PARKING_TIME', 'POWER', 'RESERVATION_TIME', 'STATE_OF_CHARGE', 'TIME',
])
export type CdrDimensionType = z.infer<typeof CdrDimensionType>

export const CdrDimension = z.object({ type: CdrDimensionType, volume: z.number() })
export type CdrDimension = z.infer<typeof CdrDimension>

export const ChargingPeriod = z.object({
  start_date_time: DateTime,
  dimensions: z.array(CdrDimension).min(1),
  tariff_id: CiString(36).optional(),
})
export type ChargingPeriod = z.infer<typeof ChargingPeriod>

export const CdrToken = z.object({
  country_code: CiString(2),
  party_id: CiString(3),
  uid: CiString(36),
  type: TokenType,
  contract_id: CiString(36),
})
export type CdrToken = z.infer<typeof CdrToken>
export const CdrToken221 = CdrToken.extend({ type: TokenType221 })
export type CdrToken221 = z.infer<typeof CdrToken221>

/**
 * 2.2.1's TokenType is closed and has no EMAID (2.3.0 changelog: values taken from the 3.0 draft). A session or CDR
 * still has to reach the eMSP that pays for it, so such a token travels as OTHER rather than not at all.
 */
export const cdrTokenTo221 = (token: CdrToken): CdrToken221 =>
  isTokenTypeIn221(token.type) ? (token as CdrToken221) : { ...token, type: 'OTHER' }

export const CdrLocation = z.object({
  id: CiString(36),
  name: OcpiString(255).optional(),
  address: OcpiString(45),
  city: OcpiString(45),
  postal_code: OcpiString(10).optional(),
  state: OcpiString(20).optional(),
  country: OcpiString(3),
  coordinates: GeoLocation,
  evse_uid: CiString(36),
  evse_id: CiString(48),
  connector_id: CiString(36),
  connector_standard: ConnectorType,
  connector_format: ConnectorFormat,
  connector_power_type: PowerType,
})
export type CdrLocation = z.infer<typeof CdrLocation>
export const CdrLocation221 = CdrLocation.extend({ connector_standard: ConnectorType221 })

const signedValueFields = { nature: CiString(32), signed_data: OcpiString(5000) }
export const SignedValue = z.object({ ...signedValueFields, plain_data: OcpiString(5000) })
/** 2.2.1 limits plain_data to 512 (2.3.0 changelog: "Lengthen plain_data field of SignedValue"). */
export const SignedValue221 = z.object({ ...signedValueFields, plain_data: OcpiString(512) })

const signedDataFields = {
  encoding_method: CiString(36),
  encoding_method_version: z.number().int().optional(),
  public_key: OcpiString(512).optional(),
  url: OcpiString(512).optional(),
}
export const SignedData = z.object({ ...signedDataFields, signed_values: z.array(SignedValue).min(1) })
export type SignedData = z.infer<typeof SignedData>
export const SignedData221 = z.object({ ...signedDataFields, signed_values: z.array(SignedValue221).min(1) })

/**
 * The tariffs "as they were at the start of the charging session". The spec's own 2.3.0 CDR example carries a tariff
 * without the otherwise required `tax_included`, so a tariff inside a CDR may omit it rather than the CDR be refused.
 */
export const CdrTariff = Tariff.extend({ tax_included: TaxIncluded.optional() })
export type CdrTariff = z.infer<typeof CdrTariff>

const PRICE_FIELDS = ['total_cost', 'total_fixed_cost', 'total_energy_cost', 'total_time_cost', 'total_parking_cost', 'total_reservation_cost'] as const

const cdrFields = {
  country_code: CiString(2),
  party_id: CiString(3),
  // 39, not 36: room for a credit CDR's suffix (CDR object, `id`).
  id: CiString(39),
  start_date_time: DateTime,
  end_date_time: DateTime,
  /**
   * Defined by the 2.3.0 bookings release only (its mod_cdrs: "Unique ID of the Booking for which this cdr can also be
   * sent"): not part of 2.3.0 or 2.2.1, exchanged only with peers that agreed to the Bookings module (cdrs/for-peer.ts).
   */
  booking_id: CiString(36).optional(),
  session_id: CiString(36).optional(),
  cdr_token: CdrToken,
  auth_method: AuthMethod,
  authorization_reference: CiString(36).optional(),
  cdr_location: CdrLocation,
  meter_id: OcpiString(255).optional(),
  currency: Currency,
  tariffs: z.array(CdrTariff).optional(),
  charging_periods: z.array(ChargingPeriod).min(1),
  signed_data: SignedData.optional(),
  total_cost: Price,
  total_fixed_cost: Price.optional(),
  total_energy: z.number(),
  total_energy_cost: Price.optional(),
  total_time: z.number(),
  total_time_cost: Price.optional(),
  total_parking_time: z.number().optional(),
  total_parking_cost: Price.optional(),
  total_reservation_cost: Price.optional(),
  remark: OcpiString(255).optional(),
  invoice_reference_id: CiString(39).optional(),
  credit: z.boolean().optional(),
  credit_reference_id: CiString(39).optional(),
  home_charging_compensation: z.boolean().optional(),
  last_updated: DateTime,
  /** Not an OCPI field: docs/extensions/cdr-cost-breakdown.md, exchanged only with peers that agreed to it. */
  cost_breakdown: CdrCostBreakdown.optional(),
}

/** "When set to true, this is a Credit CDR, and the field credit_reference_id needs to be set as well." */
const creditNeedsReference = (cdr: { credit?: boolean; credit_reference_id?: string }, context: z.RefinementCtx) => {
  if (cdr.credit === true && !cdr.credit_reference_id) {
    context.addIssue({ code: 'custom', path: ['credit_reference_id'], message: 'Required for a credit CDR (credit = true)' })
  }
}

export const CDR = z.object(cdrFields).superRefine(creditNeedsReference)
export type CDR = z.infer<typeof CDR>

const price221Fields = Object.fromEntries(PRICE_FIELDS.map((field) => [field, Price221.optional()])) as Record<(typeof PRICE_FIELDS)[number], z.ZodOptional<typeof Price221>>
const { booking_id: _bookingsRelease, ...cdr221Fields } = cdrFields
export const CDR221 = z
  .object({
    ...cdr221Fields,
    ...price221Fields,
    total_cost: Price221,
    cdr_token: CdrToken221,
    cdr_location: CdrLocation221,
    tariffs: z.array(Tariff221).optional(),
    signed_data: SignedData221.optional(),
  })
  .superRefine(creditNeedsReference)
export type CDR221 = z.infer<typeof CDR221>

/** Converts every Price field present with `convert`, leaving absent ones absent. */
function convertPrices<From, To>(object: object, convert: (price: From) => To): Record<string, unknown> {
  const converted: Record<string, unknown> = { ...object }
  for (const field of PRICE_FIELDS) if (converted[field] !== undefined) converted[field] = convert(converted[field] as From)
  return converted
}

export function cdrFrom221({ tariffs, ...cdr }: CDR221): CDR {
  return { ...convertPrices(cdr, priceFrom221), ...(tariffs && { tariffs: tariffs.map(tariffFrom221) }) } as CDR
}

/**
 * To 2.2.1: prices back to excl/incl VAT, the token type mapped, tariffs converted. A 2.3.0-only connector standard
 * (MCS, SAE_J3400) is sent as it is: the CDR is a billing record, and altering it would be worse than a peer refusing it.
 */
export function cdrTo221({ tariffs, booking_id: _bookingsRelease, ...cdr }: CDR): CDR221 {
  return {
    ...convertPrices(cdr, priceTo221),
    cdr_token: cdrTokenTo221(cdr.cdr_token),
    ...(tariffs && { tariffs: tariffs.map((tariff) => tariffTo221({ ...tariff, tax_included: tariff.tax_included ?? 'NO' })) }),
  } as CDR221
}

export const cdrVersionsFrom221: VersionAdapters<CDR> = {
  '2.3.0': { schema: CDR, toCanonical: (cdr: CDR) => cdr, fromCanonical: (cdr: CDR) => cdr },
  '2.2.1': { schema: CDR221, toCanonical: cdrFrom221, fromCanonical: cdrTo221 },
}
