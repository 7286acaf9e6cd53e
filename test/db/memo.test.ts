import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { ByteBoundedLru, configureMemos, DEFAULT_MEMO_STALENESS_MS, forgetLocalMemos, Memo } from '../../src/db/memo'

// The per-isolate memo: used within the staleness bound only, bounded in size, never remembering a read that a local
// write overtook.

const counter = () => {
  let loads = 0
  return { load: async () => ++loads, loads: () => loads }
}

describe('Memo', () => {
  afterEach(() => configureMemos({ MEMO_STALENESS_MS: '0' }))

  it('is off at staleness 0 (the default before any configuration, and the tests), on within the bound otherwise', async () => {
    const memo = new Memo<number>(10)
    const source = counter()
    configureMemos({ MEMO_STALENESS_MS: '0' })
    await memo.get('k', source.load)
    await memo.get('k', source.load)
    expect(source.loads()).toBe(2)
    configureMemos({ MEMO_STALENESS_MS: '60000' })
    expect([await memo.get('k', source.load), await memo.get('k', source.load)]).toEqual([3, 3])
  })

  it('reads again once the bound has passed', async () => {
    const memo = new Memo<number>(10)
    const source = counter()
    configureMemos({ MEMO_STALENESS_MS: '30' })
    await memo.get('k', source.load)
    await memo.get('k', source.load)
    await scheduler.wait(40)
    expect(await memo.get('k', source.load)).toBe(2)
  })

  it('keeps at most maxEntries, dropping the oldest', async () => {
    configureMemos({ MEMO_STALENESS_MS: '60000' })
    const memo = new Memo<string>(3)
    for (const key of ['a', 'b', 'c', 'd']) await memo.get(key, async () => key)
    expect(memo.size).toBe(3)
    let reloaded = false
    await memo.get('a', async () => { reloaded = true; return 'a' })
    expect(reloaded).toBe(true)
  })

  it('remembers only what `keep` allows, and nothing past `until`', async () => {
    configureMemos({ MEMO_STALENESS_MS: '60000' })
    const memo = new Memo<number | undefined>(10)
    const source = counter()
    await memo.get('missing', async () => { await source.load(); return undefined }, { keep: (value) => value !== undefined })
    await memo.get('missing', async () => { await source.load(); return undefined }, { keep: (value) => value !== undefined })
    expect(source.loads()).toBe(2)
    const expiring = counter()
    await memo.get('expiring', expiring.load, { until: () => Date.now() - 1 })
    await memo.get('expiring', expiring.load, { until: () => Date.now() - 1 })
    expect(expiring.loads()).toBe(2)
  })

  it('forgets on a local write, by kind, and drops a read that a forget overtook', async () => {
    configureMemos({ MEMO_STALENESS_MS: '60000' })
    const settings = new Memo<number>(10)
    const data = new Memo<number>(10, 'data')
    await settings.get('k', async () => 1)
    await data.get('k', async () => 1)
    forgetLocalMemos('data')
    expect(await settings.get('k', async () => 2)).toBe(1)
    expect(await data.get('k', async () => 2)).toBe(2)
    forgetLocalMemos()
    expect(await settings.get('k', async () => 3)).toBe(3)

    const racing = new Memo<number>(10)
    await racing.get('k', async () => {
      forgetLocalMemos() // a write completed while this read was in flight: its value may predate the write
      return 1
    })
    expect(await racing.get('k', async () => 2)).toBe(2)
  })

  it('reads the bound from the vars: unset is the 5-second default', async () => {
    const memo = new Memo<number>(10)
    configureMemos({})
    const source = counter()
    await memo.get('k', source.load)
    await memo.get('k', source.load)
    expect(source.loads()).toBe(1)
    expect(DEFAULT_MEMO_STALENESS_MS).toBe(5_000)
  })
})

describe('ByteBoundedLru', () => {
  const sized = (bytes: number) => ({ bytes })

  it('evicts the least recently used entries until the bytes fit, and never keeps a value larger than the bound', () => {
    const lru = new ByteBoundedLru<{ bytes: number }>(100)
    lru.set('a', sized(40))
    lru.set('b', sized(40))
    expect(lru.get('a')).toEqual(sized(40)) // a is now the most recent
    lru.set('c', sized(40))
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([sized(40), undefined, sized(40)])
    lru.set('huge', sized(101))
    expect(lru.get('huge')).toBeUndefined()
    expect(lru.bytes).toBe(80)
  })

  it('keeps its byte count exact and within the bound, whatever the operations', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('set', 'get', 'delete'), fc.constantFrom('a', 'b', 'c', 'd'), fc.nat(60))), (operations) => {
      const lru = new ByteBoundedLru<{ bytes: number }>(100)
      const model = new Map<string, number>()
      for (const [operation, key, bytes] of operations) {
        if (operation === 'set') lru.set(key, sized(bytes))
        else if (operation === 'get') lru.get(key)
        else lru.delete(key)
        if (operation === 'set') model.set(key, bytes)
        if (operation === 'delete') model.delete(key)
        let held = 0
        for (const candidate of model.keys()) {
          const value = lru.get(candidate)
          if (value) held += value.bytes
          else model.delete(candidate)
        }
        expect(lru.bytes).toBe(held)
        expect(lru.bytes).toBeLessThanOrEqual(100)
      }
    }))
  })
})
