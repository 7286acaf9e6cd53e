import { describe, expect, it } from 'vitest'
import type { Tariff, TariffElement } from '../../src/ocpi/objects/tariff'
import { cdrCosts, priceSession, PricingError } from '../../src/tariff'
import { amounts, usageOf } from './usage'
import { present } from '../present'

// Rules of mod_tariffs the worked examples do not reach, one at a time.

const tariffOf = (elements: TariffElement[], extra: Partial<Tariff> = {}): Tariff => ({
  country_code: 'NL', party_id: 'ECO', id: 'T', currency: 'EUR', elements, tax_included: 'NO', last_updated: '2024-01-01T00:00:00Z', ...extra,
})
const amsterdam = { time_zone: 'Europe/Amsterdam' }
const perHour = (price: number, restrictions?: TariffElement['restrictions']): TariffElement => ({ price_components: [{ type: 'TIME', price, step_size: 1 }], ...(restrictions ? { restrictions } : {}) })
const perKwh = (price: number, restrictions?: TariffElement['restrictions']): TariffElement => ({ price_components: [{ type: 'ENERGY', price, step_size: 1 }], ...(restrictions ? { restrictions } : {}) })
const billed = (breakdown: ReturnType<typeof priceSession>) => breakdown.components.map((component) => [component.component.price, component.billed_volume])

describe('time of day, dates and weekdays (local time of the Location)', () => {
  it('a window that wraps past midnight (end_time < start_time) holds on both sides of midnight, and one period across its edges is cut', () => {
    const tariff = tariffOf([perHour(1, { start_time: '22:00', end_time: '06:00' }), perHour(2)])
    // 21:00 to 07:00 local (summer time, UTC+2) in one period: 1 h at 2, 8 h at 1, 1 h at 2.
    const breakdown = priceSession(tariff, usageOf('2024-05-06T19:00:00Z', [{ charge: 600, kwh: 30 }]), amsterdam)
    expect(billed(breakdown)).toEqual([['2', '7200'], ['1', '28800']])
    expect(breakdown.periods.map((period) => period.start_date_time)).toEqual(['2024-05-06T19:00:00.000Z', '2024-05-06T20:00:00.000Z', '2024-05-06T22:00:00.000Z', '2024-05-07T04:00:00.000Z'])
  })

  it('end_time 00:00 stops at the end of the day', () => {
    const tariff = tariffOf([perHour(1, { start_time: '20:00', end_time: '00:00' }), perHour(2)])
    // 19:00 to 01:00 local: 20:00-00:00 at 1, the hour before and the hour after at 2.
    expect(billed(priceSession(tariff, usageOf('2024-05-06T17:00:00Z', [{ charge: 360, kwh: 10 }]), amsterdam))).toEqual([['2', '7200'], ['1', '14400']])
  })

  it('a window with only an end_time starts at midnight, so one period across midnight is cut there', () => {
    const tariff = tariffOf([perHour(1, { end_time: '12:00' }), perHour(2)])
    // 23:00 to 01:00 local in one period: the hour before midnight at 2, the hour after at 1.
    expect(billed(priceSession(tariff, usageOf('2024-05-06T21:00:00Z', [{ charge: 120, kwh: 10 }]), amsterdam))).toEqual([['2', '3600'], ['1', '3600']])
  })

  it('follows the clock change: the night of 2024-03-31 in Amsterdam is one hour shorter', () => {
    const tariff = tariffOf([perHour(1, { start_time: '00:00', end_time: '06:00' }), perHour(2)])
    // 23:00 CET (22:00Z) to 08:00 CEST (06:00Z): local 00:00-06:00 is only 5 real hours that night.
    expect(billed(priceSession(tariff, usageOf('2024-03-30T22:00:00Z', [{ charge: 480, kwh: 10 }]), amsterdam))).toEqual([['2', '10800'], ['1', '18000']])
  })

  it('a window starting at a time the spring clock change skips starts when the clock passes it (03:00 on 2024-03-31)', () => {
    const tariff = tariffOf([perHour(1, { start_time: '02:30', end_time: '06:00' }), perHour(2)])
    // 01:30 CET (00:30Z) to 04:00 CEST (02:00Z): 30 minutes before the change at 2, the hour from 03:00 at 1.
    expect(billed(priceSession(tariff, usageOf('2024-03-31T00:30:00Z', [{ charge: 90, kwh: 10 }]), amsterdam))).toEqual([['2', '1800'], ['1', '3600']])
  })

  it('a window edge the autumn clock change repeats is an edge both times (02:30 twice on 2024-10-27)', () => {
    const tariff = tariffOf([perHour(1, { start_time: '02:30', end_time: '06:00' }), perHour(2)])
    // 02:00 CEST (00:00Z) to 03:00 CET (02:00Z), two real hours: 02:00-02:30 CEST at 2, 02:30-03:00 CEST at 1,
    // then the clock reads 02:00 again: 02:00-02:30 CET at 2, 02:30-03:00 CET at 1.
    const breakdown = priceSession(tariff, usageOf('2024-10-27T00:00:00Z', [{ charge: 120, kwh: 10 }]), amsterdam)
    expect(billed(breakdown)).toEqual([['2', '3600'], ['1', '3600']])
    expect(breakdown.periods.map((period) => period.start_date_time)).toEqual(['2024-10-27T00:00:00.000Z', '2024-10-27T00:30:00.000Z', '2024-10-27T01:00:00.000Z', '2024-10-27T01:30:00.000Z'])
  })

  it('start_date is inclusive and end_date exclusive, in local dates', () => {
    const tariff = tariffOf([perHour(1, { start_date: '2024-05-07', end_date: '2024-05-08' }), perHour(2)])
    // 2024-05-06 23:00 local to 2024-05-08 01:00 local: only the 24 hours of the 7th at 1.
    const breakdown = priceSession(tariff, usageOf('2024-05-06T21:00:00Z', [{ charge: 26 * 60, kwh: 50 }]), amsterdam)
    expect(billed(breakdown)).toEqual([['2', '7200'], ['1', '86400']])
  })

  it('day_of_week is the local weekday', () => {
    const tariff = tariffOf([perHour(1, { day_of_week: ['SUNDAY'] }), perHour(2)])
    // Saturday 23:30 local to Sunday 00:30 local, in New York (UTC-4 in May).
    expect(billed(priceSession(tariff, usageOf('2024-05-12T03:30:00Z', [{ charge: 60, kwh: 5 }]), { time_zone: 'America/New_York' }))).toEqual([['2', '1800'], ['1', '1800']])
  })
})

describe('energy, duration, current and power', () => {
  it('a period that passes max_kwh is cut where the session\'s energy reaches it', () => {
    const tariff = tariffOf([perKwh(0.2, { max_kwh: 10 }), perKwh(0.4)])
    const breakdown = priceSession(tariff, usageOf('2024-05-06T08:00:00Z', [{ charge: 60, kwh: 6 }, { charge: 60, kwh: 8 }]), amsterdam)
    expect(billed(breakdown)).toEqual([['0.2', '10'], ['0.4', '4']])
    expect(breakdown.periods.map((period) => period.start_date_time)).toEqual(['2024-05-06T08:00:00.000Z', '2024-05-06T09:00:00.000Z', '2024-05-06T09:30:00.000Z'])
    expect(amounts(breakdown.total_cost).excl).toBe(3.6)
  })

  it('min_kwh holds from that energy on (inclusive)', () => {
    const tariff = tariffOf([perKwh(0.1, { min_kwh: 5 }), perKwh(0.3)])
    expect(billed(priceSession(tariff, usageOf('2024-05-06T08:00:00Z', [{ charge: 100, kwh: 10 }]), amsterdam))).toEqual([['0.3', '5'], ['0.1', '5']])
  })

  it('min_duration holds from that many seconds after the session started', () => {
    const tariff = tariffOf([perHour(6, { min_duration: 3600 }), perHour(1)])
    expect(billed(priceSession(tariff, usageOf('2024-05-06T08:00:00Z', [{ charge: 90, kwh: 10 }]), amsterdam))).toEqual([['1', '3600'], ['6', '1800']])
  })

  it('current and power restrictions read each period\'s own figures; a period reporting none matches no such restriction', () => {
    const tariff = tariffOf([perKwh(0.5, { min_power: 22 }), perKwh(0.3, { max_current: 16 }), perKwh(0.4)])
    const breakdown = priceSession(tariff, usageOf('2024-05-06T08:00:00Z', [
      { charge: 60, kwh: 50 }, // 50 kW average: min_power 22 holds
      { charge: 60, kwh: 10, dimensions: [{ type: 'MAX_CURRENT', volume: 16 }] }, // 10 kW; 16 A is not below 16
      { charge: 60, kwh: 3, dimensions: [{ type: 'MAX_CURRENT', volume: 12 }] }, // 3 kW, 12 A
      { kwh: 1, park: 60 }, // energy without TIME: no power known, no current known
    ]), amsterdam)
    expect(billed(breakdown)).toEqual([['0.5', '50'], ['0.4', '11'], ['0.3', '3']])
  })
})

describe('reservations', () => {
  it('an expired reservation is priced by RESERVATION_EXPIRES elements first, wherever they are in the list', () => {
    const tariff = tariffOf([
      { price_components: [{ type: 'TIME', price: 3, step_size: 1 }], restrictions: { reservation: 'RESERVATION' } },
      { price_components: [{ type: 'TIME', price: 6, step_size: 1 }], restrictions: { reservation: 'RESERVATION_EXPIRES' } },
      perKwh(0.25),
    ])
    expect(amounts(priceSession(tariff, usageOf('2024-05-06T08:00:00Z', [{ reserve: 30 }]), amsterdam).total_cost).excl).toBe(3)
    expect(amounts(priceSession(tariff, usageOf('2024-05-06T08:00:00Z', [{ reserve: 30 }, { charge: 60, kwh: 4 }]), amsterdam).total_cost).excl).toBe(2.5)
  })
})

describe('FLAT, totals and what a CDR may leave out', () => {
  it('bills FLAT once, from the first stretch where an element with FLAT matches', () => {
    const tariff = tariffOf([
      { price_components: [{ type: 'FLAT', price: 1, step_size: 1 }], restrictions: { min_kwh: 5 } },
      { price_components: [{ type: 'FLAT', price: 0.5, step_size: 1 }], restrictions: { min_kwh: 1 } },
    ])
    expect(amounts(priceSession(tariff, usageOf('2024-05-06T08:00:00Z', [{ charge: 60, kwh: 10 }]), amsterdam).total_fixed_cost).excl).toBe(0.5)
    expect(amounts(priceSession(tariff, usageOf('2024-05-06T08:00:00Z', [{ charge: 60, kwh: 0.5 }]), amsterdam).total_fixed_cost).excl).toBe(0)
  })

  it('a session without periods still owes its FLAT fee', () => {
    const tariff = tariffOf([{ price_components: [{ type: 'FLAT', price: 1.5, vat: 21, step_size: 1 }] }])
    const breakdown = priceSession(tariff, { start_date_time: '2024-05-06T08:00:00Z', charging_periods: [] }, amsterdam)
    expect(amounts(breakdown.total_cost)).toEqual({ excl: 1.5, incl: 1.815 })
    expect(breakdown.periods).toMatchObject([{ source_period: null, dimensions: [{ type: 'FLAT' }] }])
  })

  it('charges total_energy evenly over the charging time when no period reports ENERGY', () => {
    const tariff = tariffOf([perKwh(0.2, { start_time: '09:00' }), perKwh(0.4)])
    const usage = { ...usageOf('2024-05-06T06:30:00Z', [{ charge: 60 }]), total_energy: 12 }
    expect(billed(priceSession(tariff, usage, amsterdam))).toEqual([['0.4', '6'], ['0.2', '6']])
  })
})

describe('taxes', () => {
  const flatAndEnergy = (vat?: number) => [{ price_components: [{ type: 'FLAT' as const, price: 1.21, step_size: 1, ...(vat === undefined ? {} : { vat }) }, { type: 'ENERGY' as const, price: 0.363, step_size: 1, ...(vat === undefined ? {} : { vat }) }] }]
  const usage = usageOf('2024-05-06T08:00:00Z', [{ charge: 60, kwh: 10 }])

  it('tax_included YES: prices include the component\'s VAT, which is taken out of them', () => {
    const breakdown = priceSession(tariffOf(flatAndEnergy(21), { tax_included: 'YES' }), usage, amsterdam)
    expect(breakdown.total_cost).toEqual({ before_taxes: '4', taxes: [{ name: 'VAT', percentage: '21', amount: '0.84' }], after_taxes: '4.84' })
    expect(cdrCosts(breakdown, '2.2.1').total_cost).toEqual({ excl_vat: 4, incl_vat: 4.84 })
  })

  it('tax_included NO: VAT comes on top; lines per rate', () => {
    const tariff = tariffOf([{ price_components: [{ type: 'FLAT', price: 1, vat: 20, step_size: 1 }, { type: 'ENERGY', price: 0.3, vat: 9, step_size: 1 }] }])
    expect(cdrCosts(priceSession(tariff, usage, amsterdam), '2.3.0').total_cost).toEqual({
      before_taxes: 4, taxes: [{ name: 'VAT', percentage: 9, amount: 0.27 }, { name: 'VAT', percentage: 20, amount: 0.2 }],
    })
  })

  it('tax_included N/A: no taxes, even where a component names a vat; both limits bound the one amount', () => {
    const breakdown = priceSession(tariffOf(flatAndEnergy(21), { tax_included: 'N/A', max_price: { before_taxes: 5, after_taxes: 4.5 } }), usage, amsterdam)
    expect(breakdown.total_cost).toEqual({ before_taxes: '4.5', taxes: [], after_taxes: '4.5' })
    expect(breakdown.price_limit?.applied).toEqual(['MAX_PRICE'])
  })

  it('min_price after taxes alone raises the taxes, never below the amount before taxes', () => {
    const tariff = tariffOf([perKwh(0.3)], { min_price: { before_taxes: 1, after_taxes: 5 } })
    expect(priceSession(tariff, usage, amsterdam).total_cost).toEqual({ before_taxes: '3', taxes: [{ name: 'VAT', percentage: null, amount: '2' }], after_taxes: '5' })
  })
})

describe('input the engine refuses', () => {
  const tariff = tariffOf([perHour(1)])
  const usage = usageOf('2024-05-06T08:00:00Z', [{ charge: 60 }])

  it.each([
    [{ ...tariff, elements: [{ price_components: [{ type: 'TIME' as const, price: -1, step_size: 1 }] }] }, amsterdam, 'elements.0.price_components.0.price'],
    [{ ...tariff, elements: [{ price_components: [{ type: 'TIME' as const, price: 1, vat: -5, step_size: 1 }] }] }, amsterdam, 'elements.0.price_components.0.vat'],
    [{ ...tariff, max_price: { before_taxes: -1 } }, amsterdam, 'max_price'],
    [tariff, { time_zone: 'Mars/Olympus_Mons' }, 'time_zone'],
  ])('with a PricingError naming the field (%#)', (badTariff, context, path) => {
    expect(() => priceSession(badTariff, usage, context)).toThrow(PricingError)
    expect(() => priceSession(badTariff, usage, context)).toThrow(expect.objectContaining({ path }))
  })

  it('a volume that is not a number', () => {
    const bad = { ...usage, charging_periods: [{ ...present(usage.charging_periods[0], 'a period'), dimensions: [{ type: 'TIME' as const, volume: Number.NaN }] }] }
    expect(() => priceSession(tariff, bad, amsterdam)).toThrow(expect.objectContaining({ path: 'charging_periods.0.dimensions.0.volume' }))
  })
})
