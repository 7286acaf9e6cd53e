import { z } from 'zod'
import { CiString, DateTime, DisplayText, Price221, URL } from '../types'
import type { VersionAdapters } from '../version-adapters'
import { EnergyMix, EnergyMix221 } from './location'

// mod_tariffs.asciidoc, "Object description" and "Data types"; 2.3.0 is canonical.

export const TariffType = z.enum(['AD_HOC_PAYMENT', 'PROFILE_CHEAP', 'PROFILE_FAST', 'PROFILE_GREEN', 'REGULAR'])
export type TariffType = z.infer<typeof TariffType>
export const TariffDimensionType = z.enum(['ENERGY', 'FLAT', 'PARKING_TIME', 'TIME'])
export const DayOfWeek = z.enum(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'])
export const ReservationRestrictionType = z.enum(['RESERVATION', 'RESERVATION_EXPIRES'])
/** 2.3.0 TaxIncluded: "N/A" means no taxes apply at all. */
export const TaxIncluded = z.enum(['YES', 'NO', 'N/A'])
export type TaxIncluded = z.infer<typeof TaxIncluded>

export const PriceComponent = z.object({
  type: TariffDimensionType,
  price: z.number(),
  vat: z.number().optional(),
  step_size: z.number().int().nonnegative(),
})
export type PriceComponent = z.infer<typeof PriceComponent>

const TimeOfDay = z.string().regex(/^([0-1][0-9]|2[0-3]):[0-5][0-9]$/, 'Must be HH:MM in 24h format')
const LocalDate = z.string().regex(/^([12][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, 'Must be YYYY-MM-DD')

export const TariffRestrictions = z.object({
  start_time: TimeOfDay.optional(),
  end_time: TimeOfDay.optional(),
  start_date: LocalDate.optional(),
  end_date: LocalDate.optional(),
  min_kwh: z.number().optional(),
  max_kwh: z.number().optional(),
  min_current: z.number().optional(),
  max_current: z.number().optional(),
  min_power: z.number().optional(),
  max_power: z.number().optional(),
  min_duration: z.number().int().optional(),
  max_duration: z.number().int().optional(),
  day_of_week: z.array(DayOfWeek).optional(),
  reservation: ReservationRestrictionType.optional(),
})
export type TariffRestrictions = z.infer<typeof TariffRestrictions>

export const TariffElement = z.object({ price_components: z.array(PriceComponent).min(1), restrictions: TariffRestrictions.optional() })
export type TariffElement = z.infer<typeof TariffElement>

/** 2.3.0 PriceLimit (min_price / max_price); 2.2.1 used Price { excl_vat, incl_vat } for the same thing. */
export const PriceLimit = z.object({ before_taxes: z.number(), after_taxes: z.number().optional() })
export type PriceLimit = z.infer<typeof PriceLimit>

/**
 * `currency` is "string(3), ISO-4217" in both versions. The multi-currency extension (docs/extensions/multi-currency-tariffs.md)
 * lets opted-in peers exchange non-ISO codes such as USDC, so the wire schema accepts up to 8 alphanumerics and the receiver
 * holds peers that did not opt in to the spec's three characters.
 */
export const Currency = z.string().min(3).max(8).regex(/^[A-Za-z0-9]+$/, 'Must be a currency code')

/** Extension field linking the same offer in several currencies: the id of the base tariff, on the base and every variant. */
export const TariffGroupId = CiString(36)

export const Tariff = z.object({
  country_code: CiString(2),
  party_id: CiString(3),
  id: CiString(36),
  currency: Currency,
  type: TariffType.optional(),
  tariff_alt_text: z.array(DisplayText).optional(),
  tariff_alt_url: URL.optional(),
  min_price: PriceLimit.optional(),
  max_price: PriceLimit.optional(),
  elements: z.array(TariffElement).min(1),
  tax_included: TaxIncluded,
  start_date_time: DateTime.optional(),
  end_date_time: DateTime.optional(),
  energy_mix: EnergyMix.optional(),
  tariff_group_id: TariffGroupId.optional(),
  last_updated: DateTime,
})
export type Tariff = z.infer<typeof Tariff>

export const Tariff221 = Tariff.omit({ tax_included: true, min_price: true, max_price: true, energy_mix: true }).extend({
  min_price: Price221.optional(),
  max_price: Price221.optional(),
  energy_mix: EnergyMix221.optional(),
})
export type Tariff221 = z.infer<typeof Tariff221>

export const tariffVersionsFrom221: VersionAdapters<Tariff> = {
  '2.3.0': { schema: Tariff, toCanonical: (tariff) => tariff, fromCanonical: (tariff) => tariff },
  '2.2.1': { schema: Tariff221, toCanonical: tariffFrom221, fromCanonical: tariffTo221 },
}

/** 2.2.1 prices are always "Price per unit (excl. VAT)", so the canonical tariff says tax_included NO. */
export function tariffFrom221({ min_price, max_price, ...rest }: Tariff221): Tariff {
  return withoutUndefined({ ...rest, min_price: min_price && priceLimitOf(min_price), max_price: max_price && priceLimitOf(max_price), tax_included: 'NO' as const })
}

/**
 * 2.2.1 has no tax_included: a price that includes taxes (2.3.0 "YES") is converted to excl. VAT where the component
 * carries its `vat`. Without `vat`, 2.2.1 reads "no VAT is applicable", so the price stays what the driver pays.
 */
export function tariffTo221({ tax_included, min_price, max_price, elements, energy_mix, ...rest }: Tariff): Tariff221 {
  const excludingTaxes = tax_included === 'YES' ? elements.map(elementExcludingVat) : elements
  return withoutUndefined({
    ...rest,
    elements: excludingTaxes,
    min_price: min_price && priceOf(min_price),
    max_price: max_price && priceOf(max_price),
    energy_mix: energy_mix && energyMixTo221(energy_mix),
  })
}

// EnvironmentalImpactCategory is an OpenEnum only since 2.3.0: impacts 2.2.1 cannot name are left out.
const impact221 = EnergyMix221.shape.environ_impact.unwrap().element
const energyMixTo221 = (mix: EnergyMix) =>
  withoutUndefined({ ...mix, environ_impact: mix.environ_impact?.filter((impact) => impact221.safeParse(impact).success) }) as z.infer<typeof EnergyMix221>

function elementExcludingVat(element: TariffElement): TariffElement {
  return {
    ...element,
    price_components: element.price_components.map((component) =>
      component.vat === undefined ? component : { ...component, price: roundPrice(component.price / (1 + component.vat / 100)) },
    ),
  }
}

const priceLimitOf = (price: Price221): PriceLimit => withoutUndefined({ before_taxes: price.excl_vat, after_taxes: price.incl_vat })
const priceOf = (limit: PriceLimit): Price221 => withoutUndefined({ excl_vat: limit.before_taxes, incl_vat: limit.after_taxes })

/** Six decimals: below any currency's minor unit, so re-adding VAT gives back the amount the CPO published. */
const roundPrice = (value: number) => Math.round(value * 1e6) / 1e6

export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T
}
