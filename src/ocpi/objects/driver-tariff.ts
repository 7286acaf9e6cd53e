import { z } from 'zod'
import { CiString, DateTime, DisplayText, URL } from '../types'
import type { VersionAdapters } from '../version-adapters'
import { Currency, PriceLimit, TariffElement, TaxIncluded } from './tariff'

// x-driver-tariffs (docs/extensions/x-driver-tariffs.md): the tariff an eMSP charges one driver (token), for display on the
// Charging Station, and the limits of a pre-paid driver. Owned by the eMSP, pushed to CPOs. Same shape in 2.2.1 and 2.3.0.

/** Pre-paid limits: the CPO stops the session (or refuses to start it) when any one is reached. */
export const PrepaidLimits = z.object({
  /** Maximum cost of one session in the driver tariff's currency; `after_taxes` is what a pre-paid driver has paid. */
  max_cost: PriceLimit.optional(),
  /** Maximum energy of one session, kWh. */
  max_kwh: z.number().positive().optional(),
  /** Maximum duration of one session, seconds. */
  max_duration: z.number().int().positive().optional(),
})
export type PrepaidLimits = z.infer<typeof PrepaidLimits>

/** The fields; DriverTariff adds the rule that something must be displayable. */
export const DriverTariffFields = z.object({
  /** The eMSP that issued the token and owns this object. */
  country_code: CiString(2),
  party_id: CiString(3),
  /** Token.uid of the driver's token (mod_tokens). */
  token_uid: CiString(36),
  currency: Currency,
  /** What the station shows the driver, in their languages; SHALL carry the prices when `elements` is absent. */
  tariff_alt_text: z.array(DisplayText).optional(),
  tariff_alt_url: URL.optional(),
  /** The driver's prices in the structure of the Tariffs module, so a station can also compute a running cost. */
  elements: z.array(TariffElement).min(1).optional(),
  tax_included: TaxIncluded,
  min_price: PriceLimit.optional(),
  max_price: PriceLimit.optional(),
  prepaid_limits: PrepaidLimits.optional(),
  start_date_time: DateTime.optional(),
  end_date_time: DateTime.optional(),
  last_updated: DateTime,
})
export const DriverTariff = DriverTariffFields.refine((tariff) => tariff.elements !== undefined || (tariff.tariff_alt_text?.length ?? 0) > 0, {
  message: 'Either elements or tariff_alt_text is required',
  path: ['elements'],
})
export type DriverTariff = z.infer<typeof DriverTariff>

export const driverTariffVersions: VersionAdapters<DriverTariff> = {
  '2.3.0': { schema: DriverTariff, toCanonical: (tariff) => tariff, fromCanonical: (tariff) => tariff },
  '2.2.1': { schema: DriverTariff, toCanonical: (tariff) => tariff, fromCanonical: (tariff) => tariff },
}
