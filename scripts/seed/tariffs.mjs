// Demo tariffs of the hosted CPO NL*ECO (ids referenced by the seeded connectors), written through the management API.

const LAST_UPDATED = '2026-01-15T09:00:00Z'
const ECO = '/tariffs/NL/ECO'

const energy = (price, vat = 21) => ({ type: 'ENERGY', price, vat, step_size: 1 })
const greenMix = { is_green_energy: true, energy_sources: [{ source: 'WIND', percentage: 70 }, { source: 'SOLAR', percentage: 30 }], supplier_name: 'Windkracht Energie', energy_product_name: 'Wind & Zon 100%' }

/** AC: 0.35 EUR/kWh, and 2.40 EUR/hour parking once the session has lasted 2 hours; also offered in BTC. */
const ecoAc = {
  currency: 'EUR', type: 'REGULAR', tax_included: 'NO', energy_mix: greenMix, last_updated: LAST_UPDATED,
  tariff_alt_text: [
    { language: 'en', text: 'Parking costs EUR 2.40 per hour (excl. VAT) after the first 2 hours.' },
    { language: 'nl', text: 'Na de eerste 2 uur kost parkeren EUR 2,40 per uur (excl. btw).' },
  ],
  elements: [
    { price_components: [energy(0.35)] },
    { price_components: [{ type: 'PARKING_TIME', price: 2.4, vat: 21, step_size: 60 }], restrictions: { min_duration: 7200 } },
  ],
  currency_variants: [{
    currency: 'BTC',
    elements: [
      { price_components: [energy(0.0000041)] },
      { price_components: [{ type: 'PARKING_TIME', price: 0.000028, vat: 21, step_size: 60 }], restrictions: { min_duration: 7200 } },
    ],
    tariff_alt_text: [{ language: 'en', text: 'Parking costs 0.000028 BTC per hour (excl. VAT) after the first 2 hours.' }],
  }],
}

/** DC: 0.99 EUR start fee and 0.59 EUR/kWh. */
const ecoDc = {
  currency: 'EUR', type: 'REGULAR', tax_included: 'NO', energy_mix: greenMix, last_updated: LAST_UPDATED,
  elements: [{ price_components: [{ type: 'FLAT', price: 0.99, vat: 21, step_size: 1 }, energy(0.59)] }],
}

/** Ad hoc (payment terminal, B2.2/B2.3): 0.69 EUR/kWh including VAT, capped at 60 EUR per session. */
const ecoAdHoc = {
  currency: 'EUR', type: 'AD_HOC_PAYMENT', tax_included: 'YES', last_updated: LAST_UPDATED,
  max_price: { before_taxes: 49.59, after_taxes: 60 },
  tariff_alt_text: [
    { language: 'en', text: 'EUR 0.69 per kWh including VAT, pay by debit or credit card. At most EUR 60 per session.' },
    { language: 'nl', text: 'EUR 0,69 per kWh inclusief btw, betalen met pin of creditcard. Maximaal EUR 60 per sessie.' },
  ],
  elements: [{ price_components: [energy(0.69)] }],
}

export async function seedTariffs(admin) {
  await admin('PUT', `${ECO}/ECO-AC`, ecoAc)
  await admin('PUT', `${ECO}/ECO-DC`, ecoDc)
  await admin('PUT', `${ECO}/ECO-ADHOC`, ecoAdHoc)
}
