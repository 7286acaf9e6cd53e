import { describe, expect, it } from 'vitest'
import { acceptsGzip } from '../../src/ocpi/content-encoding'
import { concatBytes, crc32, deflateSegment, GZIP_HEADER, gzipClosing } from '../../src/ocpi/gzip-segments'

const gunzip = (bytes: Uint8Array) => new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text()

describe('Accept-Encoding (RFC 9110 12.5.3)', () => {
  it.each([
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8, *;q=0.1', true],
    ['x-gzip', true],
    ['GZIP', true],
    ['*', true],
    ['deflate, *;q=0.5', true],
    ['gzip;q=0', false],
    ['gzip;q=0.000', false],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['identity', false],
    ['br, deflate', false],
    ['', false],
    [undefined, false],
  ])('%j takes gzip: %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected)
  })
})

describe('gzipClosing: one member, its head compressed once and closed per response', () => {
  const encoder = new TextEncoder()

  it('closes a compressed head with a stored block the runtime decodes as one member', async () => {
    const head = encoder.encode(`{"data":[${Array.from({ length: 400 }, (_, i) => `{"id":"L${i}"}`).join(',')}],"status_code":1000,`)
    const start = concatBytes([GZIP_HEADER, deflateSegment(head)])
    for (const stamp of ['2026-12-07T08:00:00Z', '2026-12-07T08:00:01.123Z']) {
      const tail = encoder.encode(`"timestamp":"${stamp}"}`)
      const text = await gunzip(concatBytes([start, gzipClosing(tail, crc32(head), head.byteLength)]))
      expect(JSON.parse(text).timestamp).toBe(stamp)
      expect(JSON.parse(text).data).toHaveLength(400)
    }
  })

  it('closes an empty member and refuses more than one stored block holds', async () => {
    expect(await gunzip(concatBytes([GZIP_HEADER, gzipClosing(encoder.encode('{}'), 0, 0)]))).toBe('{}')
    expect(() => gzipClosing(new Uint8Array(65_536), 0, 0)).toThrow(/at most 65535/)
  })

  it('a wrong CRC is refused: the trailer is checked', async () => {
    const head = encoder.encode('{"a":1,')
    const bad = concatBytes([GZIP_HEADER, deflateSegment(head), gzipClosing(encoder.encode('"b":2}'), crc32(head) ^ 1, head.byteLength)])
    await expect(gunzip(bad)).rejects.toThrow()
  })
})
