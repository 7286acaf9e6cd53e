import { z } from 'zod'
import { DisplayText } from '../../ocpi/types'
import { Currency, PriceLimit, Tariff, TariffElement, withoutUndefined } from '../../ocpi/objects/tariff'
import type { TariffRow } from './store'

// Multi-currency tariffs (docs/extensions/multi-currency-tariffs.md). A hosted tariff may declare the same offer in other
// currencies; each variant is published as its own OCPI Tariff `{id}~{currency}`, linked to the base by `tariff_group_id`.

export const VARIANT_SEPARATOR = '~'

/**
 * A published tariff as a peer sees it: `tariff_group_id` only for peers that opted in to the extension (tariff
 * settings), since 2.2.1 has no rule that receivers ignore fields it does not define and strict readers refuse them.
 */
export function tariffForPeer<T extends Pick<Tariff, 'tariff_group_id'>>(tariff: T, agreed: boolean): T {
  if (agreed || tariff.tariff_group_id === undefined) return tariff
  const { tariff_group_id: _group, ...defined } = tariff
  return defined as T
}

export const CurrencyVariant = z.object({
  currency: Currency,
  elements: z.array(TariffElement).min(1),
  min_price: PriceLimit.optional(),
  max_price: PriceLimit.optional(),
  /** Defaults to the base tariff's text, which usually names prices in the base currency: set it. */
  tariff_alt_text: z.array(DisplayText).optional(),
})
export type CurrencyVariant = z.infer<typeof CurrencyVariant>

/** A tariff as its owner writes it through the management API: the base tariff plus its currency variants. */
export const HostedTariff = Tariff.extend({ currency_variants: z.array(CurrencyVariant).optional() })
export type HostedTariff = z.infer<typeof HostedTariff>

export const variantId = (baseId: string, currency: string) => `${baseId}${VARIANT_SEPARATOR}${currency.toUpperCase()}`

/** Path of the first problem with the variants (ids must stay CiString(36), currencies distinct), or undefined. */
export function variantProblem(hosted: HostedTariff): { path: string; message: string } | undefined {
  const seen = new Set([hosted.currency.toUpperCase()])
  for (const [index, variant] of (hosted.currency_variants ?? []).entries()) {
    const path = `currency_variants.${index}.currency`
    const currency = variant.currency.toUpperCase()
    if (seen.has(currency)) return { path, message: `currency ${currency} is offered twice` }
    seen.add(currency)
    if (variantId(hosted.id, currency).length > 36) return { path, message: `variant id ${variantId(hosted.id, currency)} is longer than 36 characters` }
  }
  return undefined
}

/** The OCPI Tariff objects a hosted tariff publishes: the base first, then one per variant, all sharing last_updated. */
export function publishedTariffs({ currency_variants: variants = [], ...base }: HostedTariff): Tariff[] {
  if (variants.length === 0) return [withoutUndefined({ ...base, tariff_group_id: undefined })]
  const group = { tariff_group_id: base.id }
  return [
    { ...base, ...group },
    ...variants.map((variant) =>
      withoutUndefined({
        ...base,
        ...group,
        id: variantId(base.id, variant.currency),
        currency: variant.currency.toUpperCase(),
        elements: variant.elements,
        min_price: variant.min_price,
        max_price: variant.max_price,
        tariff_alt_text: variant.tariff_alt_text ?? base.tariff_alt_text,
      }),
    ),
  ]
}

/** The hosted tariff again, from the rows of its group (inverse of publishedTariffs). */
export function hostedTariffOf(group: TariffRow[], baseId: string): HostedTariff | undefined {
  const base = group.find((row) => row.id === baseId)
  if (!base) return undefined
  const variants = group.filter((row) => row !== base).map(({ object }) =>
    withoutUndefined({ currency: object.currency, elements: object.elements, min_price: object.min_price, max_price: object.max_price, tariff_alt_text: object.tariff_alt_text }),
  )
  const { tariff_group_id: _group, ...tariff } = base.object
  return variants.length ? { ...tariff, currency_variants: variants } : tariff
}
