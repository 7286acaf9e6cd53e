import { Deflate, Z_SYNC_FLUSH } from 'pako'

// One gzip member (RFC 1952) written over many invocations: a chunked feed build cannot keep a compressor alive
// between its steps, and decoders such as the Workers runtime's DecompressionStream refuse a second member. So each
// chunk is compressed on its own into raw deflate blocks ending in a sync flush (RFC 1951 blocks, none marked final,
// ending on a byte boundary) and the segments are simply concatenated: a header before the first, and after the last
// an empty final block and the trailer (CRC-32 and length of the uncompressed data, both carried between steps).
// A chunk starts without the previous one's window, which costs little at 1.5 MB per chunk.
// A hot list page (src/modules/locations/page-cache.ts) is the same member in one process: its head compressed once,
// and once per second a final stored block with that second's envelope timestamp and the trailer (gzipClosing).

/** RFC 1952 2.3: ID1 ID2, CM = deflate, no flags, no MTIME, XFL 0, OS unknown. */
export const GZIP_HEADER = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])
/** A final, empty block with fixed Huffman codes (BFINAL 1, BTYPE 01, end-of-block), padded to the byte. */
const FINAL_EMPTY_BLOCK = new Uint8Array([0x03, 0x00])

/** Raw deflate blocks of `bytes`, none final, ending on a byte boundary: segments concatenate into one stream. */
export function deflateSegment(bytes: Uint8Array): Uint8Array {
  if (bytes.byteLength === 0) return new Uint8Array()
  const deflate = new Deflate({ raw: true, level: 6 })
  const out: Uint8Array[] = []
  deflate.onData = (chunk: Uint8Array) => out.push(chunk)
  deflate.push(bytes, Z_SYNC_FLUSH)
  if (deflate.err) throw new Error(`deflate: ${deflate.msg}`)
  return concatBytes(out)
}

/** The bytes that close the member: the final block, then CRC-32 and ISIZE (length mod 2^32), little-endian. */
export function gzipTrailer(crc: number, length: number): Uint8Array {
  const trailer = new Uint8Array(10)
  trailer.set(FINAL_EMPTY_BLOCK)
  const view = new DataView(trailer.buffer)
  view.setUint32(2, crc >>> 0, true)
  view.setUint32(6, length % 2 ** 32, true)
  return trailer
}

/** Longest content of one stored block (RFC 1951 3.2.4: LEN is two bytes). */
const MAX_STORED = 0xffff

/**
 * The bytes that close a member whose deflate blocks so far end on a byte boundary (deflateSegment): `bytes` as a
 * final stored block (BFINAL 1, BTYPE 00, LEN, NLEN, the bytes as they are), then CRC-32 and ISIZE of all the data,
 * given the CRC-32 and length of the data before. Costs no compression, so a member can be closed again each second.
 */
export function gzipClosing(bytes: Uint8Array, crcBefore: number, lengthBefore: number): Uint8Array {
  if (bytes.byteLength > MAX_STORED) throw new Error(`a stored block holds at most ${MAX_STORED} bytes, not ${bytes.byteLength}`)
  const out = new Uint8Array(5 + bytes.byteLength + 8)
  const view = new DataView(out.buffer)
  out[0] = 0x01
  view.setUint16(1, bytes.byteLength, true)
  view.setUint16(3, ~bytes.byteLength & 0xffff, true)
  out.set(bytes, 5)
  view.setUint32(5 + bytes.byteLength, crc32(bytes, crcBefore), true)
  view.setUint32(9 + bytes.byteLength, (lengthBefore + bytes.byteLength) % 2 ** 32, true)
  return out
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, byte) => {
  let crc = byte
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1
  return crc >>> 0
})

/** CRC-32 (RFC 1952 8) continued over `bytes` from `crc` (0 to start). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let value = ~crc >>> 0
  for (const byte of bytes) value = (CRC_TABLE[(value ^ byte) & 0xff]! ^ (value >>> 8)) >>> 0
  return ~value >>> 0
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}
