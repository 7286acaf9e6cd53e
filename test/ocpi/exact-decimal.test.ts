import Big from 'big.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ExactDecimal, type RoundingMode } from '../../src/ocpi/exact-decimal'

// ExactDecimal against big.js configured as the tariff engine used it (strict, 40 decimal places for quotients,
// half up): every operation gives the same text, the same comparison, the same errors.

const Reference = Big()
Reference.strict = true
Reference.DP = 40
Reference.RM = Reference.roundHalfUp
Reference.NE = -50
Reference.PE = 50

const NUM_RUNS = 3000
const TIMEOUT_MS = 120_000

/** Decimal texts of every shape big.js reads: signs, leading and trailing zeros, exponents, up to 45 places. */
const text = fc.oneof(
  fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 45 })).map(([negative, digits, scale]) => {
    const plain = digits.toString().padStart(scale + 1, '0')
    const written = scale === 0 ? plain : `${plain.slice(0, -scale)}.${plain.slice(-scale)}`
    return `${negative ? '-' : ''}${written}`
  }),
  fc.tuple(fc.integer({ min: -99_999, max: 99_999 }), fc.integer({ min: -12, max: 12 })).map(([digits, exponent]) => `${digits}e${exponent}`),
  fc.constantFrom('0', '-0', '0.0', '1', '-1', '0.5', '-0.5', '1.50', '.5', '5.', '0.0001', '3600', '100', '1000', '-0.00005', '2.5e-41'),
)
const nonZero = text.filter((value) => !new Reference(value).eq('0'))
const mode = fc.constantFrom<RoundingMode>(0, 1, 2, 3)

/** A zero has no sign here; big.js keeps one, which only toNumber shows (-0), and -0 is 0 to every use of it. */
function outcome(compute: () => number): { value?: number; throws?: boolean } {
  try {
    const value = compute()
    return { value: value === 0 ? 0 : value }
  } catch {
    return { throws: true }
  }
}

describe('ExactDecimal computes exactly as big.js', () => {
  it('reads and writes the same texts', () => {
    fc.assert(fc.property(text, (a) => {
      expect(ExactDecimal.parse(a).toFixed()).toBe(new Reference(a).toFixed())
    }), { numRuns: NUM_RUNS })
    for (const bad of ['', '-', '.', '+1', ' 1', '1 ', 'e5', '1e', 'Infinity', 'NaN', '0x10', '1..2']) {
      expect(() => ExactDecimal.parse(bad), bad).toThrow()
      expect(() => new Reference(bad), bad).toThrow()
    }
  })

  it('reads JSON numbers as the decimals their shortest text names', () => {
    fc.assert(fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer().map((n) => n / 10_000)), (value) => {
      expect(ExactDecimal.fromNumber(value).toFixed()).toBe(new Reference(String(value)).toFixed())
    }), { numRuns: NUM_RUNS })
  })

  it('adds, subtracts, multiplies and compares the same', () => {
    fc.assert(fc.property(text, text, (a, b) => {
      const [x, y] = [ExactDecimal.parse(a), ExactDecimal.parse(b)]
      const [p, q] = [new Reference(a), new Reference(b)]
      expect(x.plus(y).toFixed()).toBe(p.plus(q).toFixed())
      expect(x.minus(y).toFixed()).toBe(p.minus(q).toFixed())
      expect(x.times(y).toFixed()).toBe(p.times(q).toFixed())
      expect(x.cmp(y)).toBe(p.cmp(q))
      expect([x.eq(y), x.lt(y), x.lte(y), x.gt(y), x.gte(y)]).toEqual([p.eq(q), p.lt(q), p.lte(q), p.gt(q), p.gte(q)])
      expect(x.abs().toFixed()).toBe(p.abs().toFixed())
    }), { numRuns: NUM_RUNS })
  }, TIMEOUT_MS)

  it('divides to 40 places half up, and refuses to divide by zero', () => {
    fc.assert(fc.property(text, nonZero, (a, b) => {
      expect(ExactDecimal.parse(a).div(ExactDecimal.parse(b)).toFixed()).toBe(new Reference(a).div(new Reference(b)).toFixed())
    }), { numRuns: NUM_RUNS })
    expect(() => ExactDecimal.parse('1').div(ExactDecimal.parse('0'))).toThrow()
  }, TIMEOUT_MS)

  it('rounds the same in every mode, to any number of places', () => {
    fc.assert(fc.property(text, fc.integer({ min: 0, max: 12 }), mode, (a, places, rounding) => {
      expect(ExactDecimal.parse(a).round(places, rounding).toFixed()).toBe(new Reference(a).round(places, rounding).toFixed())
      expect(ExactDecimal.parse(a).round().toFixed()).toBe(new Reference(a).round().toFixed())
    }), { numRuns: NUM_RUNS })
  }, TIMEOUT_MS)

  it('converts to a number the same, or refuses the same imprecise conversion', () => {
    fc.assert(fc.property(text, (a) => {
      expect(outcome(() => ExactDecimal.parse(a).toNumber())).toEqual(outcome(() => new Reference(a).toNumber()))
    }), { numRuns: NUM_RUNS })
  })
})
