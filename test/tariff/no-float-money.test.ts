import { describe, expect, it } from 'vitest'

// Repository check: no binary floating point touches money in src/tariff. Amounts, volumes and rates are big.js
// decimals; `number` arithmetic is allowed only in local-time.ts (whole seconds of the calendar, no money), and
// JSON numbers become decimals (and back) only in decimal.ts.

const sources = import.meta.glob<string>('../../src/tariff/**/*.ts', { eager: true, query: '?raw', import: 'default' })
const nameOf = (path: string) => path.replace('../../src/tariff/', '')
const CALENDAR = 'local-time.ts'
const BOUNDARY = 'decimal.ts'

/** The code without comments and without the text of string and template literals (template expressions stay). */
export function codeOf(source: string): string {
  let code = ''
  let index = 0
  const templateDepths: number[] = []
  let braces = 0
  while (index < source.length) {
    const char = source[index]
    const next = source[index + 1]
    if (char === '/' && next === '/') {
      while (index < source.length && source[index] !== '\n') index++
    } else if (char === '/' && next === '*') {
      index = source.indexOf('*/', index + 2) + 2
    } else if (char === "'" || char === '"') {
      index++
      while (source[index] !== char) index += source[index] === '\\' ? 2 : 1
      index++
      code += '""'
    } else if (char === '`' || (char === '}' && templateDepths.at(-1) === braces)) {
      if (char === '}') templateDepths.pop()
      index++
      while (source[index] !== '`' && !(source[index] === '$' && source[index + 1] === '{')) index += source[index] === '\\' ? 2 : 1
      if (source[index] === '`') index++
      else {
        templateDepths.push(braces)
        index += 2
      }
      code += '""'
    } else {
      if (char === '{') braces++
      if (char === '}') braces--
      code += char
      index++
    }
  }
  return code
}

/** Arithmetic on numbers: any * / % operator, and + or - except stepping by one (++, --, + 1, - 1) and negative literals. */
export function arithmeticIn(code: string): string[] {
  const found: string[] = []
  const operators = /\*\*?=?|\/=?|%=?|\+\+|--|\+=?|-=?/g
  for (const match of code.matchAll(operators)) {
    const [operator] = match
    const before = code.slice(0, match.index).trimEnd()
    const after = code.slice(match.index + operator.length)
    const stepsByOne = /^\s*1(?![\d.])/.test(after) && ['+', '-', '+=', '-='].includes(operator)
    const negativeLiteral = operator === '-' && /^\d/.test(after) && /[(,[=:?]$|return$/.test(before)
    if (operator === '++' || operator === '--' || stepsByOne || negativeLiteral) continue
    found.push(`${operator} in "${code.slice(Math.max(0, match.index - 30), match.index + 30).replace(/\s+/g, ' ')}"`)
  }
  return found
}

const CONVERSIONS = /\bMath\.|\bparseFloat\b|\bparseInt\b|\bNumber\(|\.toNumber\(|\bNumber\.parse/g

describe('no binary floating point for money in src/tariff', () => {
  const files = Object.entries(sources).map(([path, source]) => [nameOf(path), codeOf(source)] as const)

  it('finds the engine', () => expect(files.map(([name]) => name)).toEqual(expect.arrayContaining(['price-session.ts', BOUNDARY, CALENDAR])))

  it.each(files.filter(([name]) => name !== CALENDAR))('%s does no arithmetic on numbers', (_name, code) => {
    expect(arithmeticIn(code)).toEqual([])
  })

  it.each(files.filter(([name]) => name !== CALENDAR && name !== BOUNDARY))('%s converts no decimal to a number', (_name, code) => {
    expect(code.match(CONVERSIONS) ?? []).toEqual([])
  })

  it(`${CALENDAR} never sees a decimal`, () => {
    expect(files.find(([name]) => name === CALENDAR)![1]).not.toMatch(/from '\.\/decimal'|big\.js/)
  })

  it('the check catches what it is for', () => {
    expect(arithmeticIn(codeOf('const cost = price * volume'))).toHaveLength(1)
    expect(arithmeticIn(codeOf('const total = a + b; const tax = total / 100; const rest = total % 3'))).toHaveLength(3)
    expect(arithmeticIn(codeOf('const share = `${price - discount} EUR`'))).toHaveLength(1)
    expect(arithmeticIn(codeOf("for (let i = 0; i < n; i++) next = list[i + 1] ?? list.at(-1) // a * b\nconst s = 'a*b/c'"))).toEqual([])
    expect(codeOf('x = `a${b + `c${d * e}`}f` + 1').match(/[*]/g)).toHaveLength(1)
    expect('const x = value.toNumber() * 2'.match(CONVERSIONS)).toHaveLength(1)
  })
})
