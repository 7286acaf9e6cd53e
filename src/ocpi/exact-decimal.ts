// Exact decimal numbers as scaled integers: `units` × 10^-`scale`, with `units` a BigInt, so that adding,
// subtracting, multiplying and comparing are exact integer operations and no binary floating point is involved.
// Quotients and roundings follow big.js exactly (the engine's results were defined with it: quotients to 40
// decimal places half up, the same four rounding modes, the same text), at a small fraction of its cost: a BigInt
// of a few words instead of an array of decimal digits. Immutable, like big.js.

export type RoundingMode = 0 | 1 | 2 | 3
/** Towards zero. */
export const ROUND_DOWN = 0
/** To the nearest; halfway away from zero. */
export const ROUND_HALF_UP = 1
/** To the nearest; halfway to the even neighbour. */
export const ROUND_HALF_EVEN = 2
/** Away from zero. */
export const ROUND_UP = 3

/** Decimal places of a quotient, as big.js with `DP = 40`. */
export const QUOTIENT_DECIMALS = 40

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

const POWERS: bigint[] = [1n]
function powerOfTen(exponent: number): bigint {
  for (let known = POWERS.length; known <= exponent; known++) POWERS.push(POWERS[known - 1]! * 10n)
  return POWERS[exponent]!
}

/** `numerator / denominator` (denominator not 0) to an integer, rounded as `mode` says. */
function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator < 0n) {
    numerator = -numerator
    denominator = -denominator
  }
  const quotient = numerator / denominator
  if (mode === ROUND_DOWN) return quotient
  const remainder = numerator - quotient * denominator
  if (remainder === 0n) return quotient
  const away = numerator < 0n ? quotient - 1n : quotient + 1n
  if (mode === ROUND_UP) return away
  const twice = (remainder < 0n ? -remainder : remainder) * 2n
  if (twice > denominator) return away
  if (twice < denominator) return quotient
  return mode === ROUND_HALF_UP || quotient % 2n !== 0n ? away : quotient
}

const fromNumbers = new Map<number, ExactDecimal>()
const FROM_NUMBERS_KEPT = 4096

/** What big.js reads: an optional minus, digits with an optional point, an optional exponent. */
const NUMERIC = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i

export class ExactDecimal {
  /** The value is `units` / 10^`scale`; `scale` is never negative. */
  constructor(readonly units: bigint, readonly scale: number) {}

  /** Reads the text of a decimal (as big.js does: `1.50`, `.5`, `-2e-7`), or throws. */
  static parse(text: string): ExactDecimal {
    const match = NUMERIC.exec(text)
    const whole = match?.[2] ?? ''
    const fraction = match?.[3] ?? ''
    if (!match || (whole === '' && fraction === '') || (whole === '' && match[3] === undefined)) throw new Error(`Invalid number: ${text}`)
    const exponent = match[4] === undefined ? 0 : Number.parseInt(match[4], 10)
    const digits = BigInt(whole + fraction)
    const units = match[1] === '-' ? -digits : digits
    const scale = fraction.length - exponent
    return scale >= 0 ? new ExactDecimal(units, scale) : new ExactDecimal(units * powerOfTen(-scale), 0)
  }

  /** A JSON number as the decimal its shortest text names (`String(0.1)` is `0.1`). */
  static fromNumber(value: number): ExactDecimal {
    if (Number.isSafeInteger(value)) return new ExactDecimal(BigInt(value), 0)
    if (!Number.isFinite(value)) throw new Error(`Invalid number: ${value}`)
    // The same few volumes and prices come again and again (0.25 kWh, 0.0472 h): read each text once.
    let known = fromNumbers.get(value)
    if (known === undefined) {
      if (fromNumbers.size >= FROM_NUMBERS_KEPT) fromNumbers.clear()
      fromNumbers.set(value, (known = ExactDecimal.parse(String(value))))
    }
    return known
  }

  /** The units of this value at a scale at least its own. */
  #unitsAt(scale: number): bigint {
    return scale === this.scale ? this.units : this.units * powerOfTen(scale - this.scale)
  }

  plus(other: ExactDecimal): ExactDecimal {
    if (this.scale === other.scale) return new ExactDecimal(this.units + other.units, this.scale)
    const scale = Math.max(this.scale, other.scale)
    return new ExactDecimal(this.#unitsAt(scale) + other.#unitsAt(scale), scale)
  }

  minus(other: ExactDecimal): ExactDecimal {
    if (this.scale === other.scale) return new ExactDecimal(this.units - other.units, this.scale)
    const scale = Math.max(this.scale, other.scale)
    return new ExactDecimal(this.#unitsAt(scale) - other.#unitsAt(scale), scale)
  }

  times(other: ExactDecimal): ExactDecimal {
    return new ExactDecimal(this.units * other.units, this.scale + other.scale)
  }

  /** The quotient to `decimals` places (big.js `div` with `DP = 40` and half-up rounding, by default). */
  div(other: ExactDecimal, decimals = QUOTIENT_DECIMALS, mode: RoundingMode = ROUND_HALF_UP): ExactDecimal {
    if (other.units === 0n) throw new Error('Division by zero')
    // this / other = (this.units × 10^other.scale) / (other.units × 10^this.scale); times 10^decimals for the places.
    const shift = decimals + other.scale - this.scale
    const numerator = shift >= 0 ? this.units * powerOfTen(shift) : this.units
    const denominator = shift >= 0 ? other.units : other.units * powerOfTen(-shift)
    return new ExactDecimal(divideRounded(numerator, denominator, mode), decimals)
  }

  /** Rounded to `decimals` places (big.js `round`). */
  round(decimals = 0, mode: RoundingMode = ROUND_HALF_UP): ExactDecimal {
    if (this.scale <= decimals) return this
    return new ExactDecimal(divideRounded(this.units, powerOfTen(this.scale - decimals), mode), decimals)
  }

  abs(): ExactDecimal {
    return this.units < 0n ? new ExactDecimal(-this.units, this.scale) : this
  }

  cmp(other: ExactDecimal): -1 | 0 | 1 {
    let a = this.units
    let b = other.units
    if (this.scale !== other.scale) {
      const scale = Math.max(this.scale, other.scale)
      a = this.#unitsAt(scale)
      b = other.#unitsAt(scale)
    }
    return a < b ? -1 : a > b ? 1 : 0
  }

  eq(other: ExactDecimal): boolean {
    return this.cmp(other) === 0
  }

  lt(other: ExactDecimal): boolean {
    return this.cmp(other) < 0
  }

  lte(other: ExactDecimal): boolean {
    return this.cmp(other) <= 0
  }

  gt(other: ExactDecimal): boolean {
    return this.cmp(other) > 0
  }

  gte(other: ExactDecimal): boolean {
    return this.cmp(other) >= 0
  }

  /** The exact value in plain notation, without trailing zeros (big.js `toFixed()`): `1.5`, `0.0000001`, `0`. */
  toFixed(): string {
    if (this.scale === 0) return this.units.toString()
    const negative = this.units < 0n
    const digits = (negative ? -this.units : this.units).toString()
    // Trailing zeros of the fraction are not written.
    let end = digits.length
    let scale = this.scale
    while (scale > 0 && end > 0 && digits.charCodeAt(end - 1) === 48) {
      end--
      scale--
    }
    if (end === 0) return '0'
    const kept = end === digits.length ? digits : digits.slice(0, end)
    if (scale === 0) return negative ? `-${kept}` : kept
    const padded = kept.length > scale ? kept : kept.padStart(scale + 1, '0')
    const text = `${padded.slice(0, -scale)}.${padded.slice(-scale)}`
    return negative ? `-${text}` : text
  }

  /** The value as a JSON number, or throws when no double is exactly this value (big.js `toNumber` when strict). */
  toNumber(): number {
    // A whole number of at most 53 bits is a double exactly, and Number() of its BigInt is that double.
    if (this.scale === 0 && this.units <= MAX_SAFE && this.units >= -MAX_SAFE) return Number(this.units)
    const text = this.toFixed()
    const value = Number(text)
    if (!ExactDecimal.fromNumber(value).eq(this)) throw new Error(`Imprecise conversion: ${text}`)
    return value
  }
}
