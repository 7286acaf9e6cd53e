import Big from 'big.js'
import { z } from 'zod'
import { DateTime, DisplayText, URL } from '../../types'
import type { Owner, VersionAdapter } from '../../version-adapters'
import { DayOfWeek, type Tariff, type TariffElement, TariffDimensionType, type TariffRestrictions } from '../tariff'
import { EnergyMix211, energyMixFrom211, energyMixTo211 } from './location'
import { defined, type Loss, NO_OWNER, String211 } from './shared'

// Tariffs module of OCPI 2.1.1 (mod_tariffs.md, "Object description" and "Data types"), and the adapters between it
// and the canonical (2.3.0) Tariff. `tariff211Losses` lists what does not survive the trip.

const timeOfDay = /^[0-2][0-9]:[0-5][0-9]$/

export const PriceComponent211 = z.object({
  type: TariffDimensionType,
  price: z.number(),
  step_size: z.number().int(),
})
export type PriceComponent211 = z.infer<typeof PriceComponent211>

export const TariffRestrictions211 = z.object({
  start_time: z.string().max(5).regex(timeOfDay, 'Must match [0-2][0-9]:[0-5][0-9]').optional(),
  end_time: z.string().max(5).regex(timeOfDay, 'Must match [0-2][0-9]:[0-5][0-9]').optional(),
  start_date: String211(10).optional(),
  end_date: String211(10).optional(),
  min_kwh: z.number().optional(),
  max_kwh: z.number().optional(),
  min_power: z.number().optional(),
  max_power: z.number().optional(),
  min_duration: z.number().int().optional(),
  max_duration: z.number().int().optional(),
  day_of_week: z.array(DayOfWeek).optional(),
})
export type TariffRestrictions211 = z.infer<typeof TariffRestrictions211>

export const TariffElement211 = z.object({ price_components: z.array(PriceComponent211).min(1), restrictions: TariffRestrictions211.optional() })
export type TariffElement211 = z.infer<typeof TariffElement211>

export const Tariff211 = z.object({
  id: String211(36),
  currency: String211(3),
  tariff_alt_text: z.array(DisplayText).optional(),
  tariff_alt_url: URL.optional(),
  elements: z.array(TariffElement211).min(1),
  energy_mix: EnergyMix211.optional(),
  last_updated: DateTime,
})
export type Tariff211 = z.infer<typeof Tariff211>

// ---- 2.1.1 -> canonical ----

/** 2.1.1 prices are "price per unit (excluding VAT)" (PriceComponent), so the canonical tariff says tax_included NO. */
export function tariffFrom211({ energy_mix, ...tariff }: Tariff211, owner: Owner = NO_OWNER): Tariff {
  return defined({
    ...tariff,
    country_code: owner.country_code,
    party_id: owner.party_id,
    tax_included: 'NO' as const,
    energy_mix: energy_mix && energyMixFrom211(energy_mix),
  })
}

// ---- canonical -> 2.1.1 ----

/** "Numbers in OCPI are formatted as JSON numbers. Unless mentioned otherwise, numbers use 4 decimals" (types.md 1.4). */
const PRICE_DECIMALS = 4

/** A price including `vat` percent as the price excluding it, in decimal arithmetic, half up to 4 decimals. */
function excludingVat(price: number, vat: number): number {
  const factor = new Big(1).plus(new Big(String(vat)).div(100))
  return Number(new Big(String(price)).div(factor).round(PRICE_DECIMALS, Big.roundHalfUp).toFixed())
}

function restrictionsTo211({ min_current: _min, max_current: _max, reservation: _reservation, ...restrictions }: TariffRestrictions): TariffRestrictions211 {
  return restrictions
}

/**
 * 2.1.1 has no reservation restriction: an element that prices a reservation would price charging there, so it is
 * left out. A tariff that prices reservations only has no element for charging, which the canonical tariff reads as
 * charging for free; 2.1.1 needs one element ("+"), so that becomes one free FLAT element ("Free of Charge" tariff).
 */
const FREE_OF_CHARGE: TariffElement211 = { price_components: [{ type: 'FLAT', price: 0, step_size: 0 }] }

function elementsTo211(elements: TariffElement[], taxIncluded: Tariff['tax_included']): TariffElement211[] {
  const converted = elements
    .filter((element) => element.restrictions?.reservation === undefined)
    .map(({ price_components, restrictions }) =>
      defined({
        price_components: price_components.map(({ vat, ...component }) =>
          // 2.1.1 prices exclude VAT; a price that includes it is converted where the component says how much VAT.
          taxIncluded === 'YES' && vat !== undefined ? { ...component, price: excludingVat(component.price, vat) } : component,
        ),
        restrictions: restrictions && restrictionsTo211(restrictions),
      }),
    )
  return converted.length > 0 ? converted : [FREE_OF_CHARGE]
}

export function tariffTo211(tariff: Tariff): Tariff211 {
  const {
    country_code: _country, party_id: _party, type: _type, min_price: _min, max_price: _max, tax_included, start_date_time: _start, end_date_time: _end,
    tariff_group_id: _group, elements, energy_mix, ...rest
  } = tariff
  return defined({ ...rest, elements: elementsTo211(elements, tax_included), energy_mix: energy_mix && energyMixTo211(energy_mix) })
}

export const tariff211: VersionAdapter<Tariff, Tariff211> = { schema: Tariff211, toCanonical: tariffFrom211, fromCanonical: tariffTo211 }

// ---- what is lost ----

const TARIFFS = 'mod_tariffs.md'
export const tariff211Losses: readonly Loss[] = [
  { object: 'Tariff', field: 'country_code', direction: 'both', what: 'not sent; read from the connection\'s party', why: '2.1.1 objects do not name their party; a 2.1.1 connection serves one party', spec: 'credentials.md 2.1' },
  { object: 'Tariff', field: 'party_id', direction: 'both', what: 'not sent; read from the connection\'s party', why: 'as country_code', spec: 'credentials.md 2.1' },
  { object: 'Tariff', field: 'type', direction: 'to 2.1.1', what: 'dropped: a 2.1.1 peer cannot tell a profile or ad hoc tariff from the regular one', why: 'added in 2.2', spec: `${TARIFFS} 3.1` },
  { object: 'Tariff', field: 'min_price', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.2', spec: `${TARIFFS} 3.1` },
  { object: 'Tariff', field: 'max_price', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.2', spec: `${TARIFFS} 3.1` },
  { object: 'Tariff', field: 'start_date_time', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.2', spec: `${TARIFFS} 3.1` },
  { object: 'Tariff', field: 'end_date_time', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.2', spec: `${TARIFFS} 3.1` },
  { object: 'Tariff', field: 'tax_included', direction: 'both', what: 'read as NO; to 2.1.1, a YES tariff\'s prices are divided by 1 + vat/100 (4 decimals, half up) where the component has a vat, else sent as they are', why: '2.1.1 prices are "price per unit (excluding VAT)"', spec: `${TARIFFS} 4.2` },
  { object: 'Tariff', field: 'tariff_group_id', direction: 'to 2.1.1', what: 'dropped', why: 'an extension field, not 2.1.1', spec: `${TARIFFS} 3.1` },
  { object: 'Tariff', field: 'energy_mix', direction: 'both', what: 'as in Location: environ_impact `source` is `category`, categories 2.1.1 lacks are left out', why: 'renamed in 2.2', spec: 'mod_locations.md 4.8' },
  { object: 'Tariff', field: 'elements', direction: 'to 2.1.1', what: 'an element restricted to a reservation is left out; with none left, one free FLAT element', why: '2.1.1 has no reservation restriction, and elements is "+"', spec: `${TARIFFS} 4.3, 4.5` },
  { object: 'Tariff', field: 'currency', direction: 'to 2.1.1', what: 'sent as it is; a code longer than 3 (multi-currency extension) is not valid 2.1.1, so such tariffs go only to peers that agreed the extension', why: 'string(3), ISO 4217', spec: `${TARIFFS} 3.1` },
  { object: 'PriceComponent', field: 'vat', direction: 'to 2.1.1', what: 'dropped (used to take VAT out of a price that includes it)', why: 'added in 2.2', spec: `${TARIFFS} 4.2` },
  { object: 'TariffRestrictions', field: 'min_current', direction: 'to 2.1.1', what: 'dropped: the element applies at any current', why: 'added in 2.2', spec: `${TARIFFS} 4.5` },
  { object: 'TariffRestrictions', field: 'max_current', direction: 'to 2.1.1', what: 'dropped: the element applies at any current', why: 'added in 2.2', spec: `${TARIFFS} 4.5` },
  { object: 'TariffRestrictions', field: 'reservation', direction: 'to 2.1.1', what: 'the element is left out (see elements)', why: 'added in 2.2', spec: `${TARIFFS} 4.5` },
  { object: 'TariffRestrictions', field: 'start_date', direction: 'from 2.1.1', what: 'kept as is (also end_date); 2.1.1 gives no pattern, 2.3.0 requires YYYY-MM-DD', why: 'string(10) in 2.1.1', spec: `${TARIFFS} 4.5` },
]
