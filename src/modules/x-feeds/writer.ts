import { toHex as hex } from '../../ocpi/urls'
// Writes one feed to R2 as gzip-compressed NDJSON while it is being read, holding at most one upload part in memory:
// lines go through CompressionStream('gzip') and, uncompressed, through a SHA-256 DigestStream; compressed output is
// cut into fixed-size multipart parts (R2 wants every part but the last of one size and at least 5 MiB). A feed
// smaller than one part is a single put.

export const PART_SIZE = 8 * 1024 * 1024

export interface WrittenObject { size: number; sha256: string }

const encoder = new TextEncoder()

/** Collects compressed bytes into parts of exactly `partSize` and uploads them as they fill. */
class PartUploader {
  private buffered: Uint8Array[] = []
  private bufferedBytes = 0
  private upload: R2MultipartUpload | undefined
  private parts: R2UploadedPart[] = []
  size = 0

  constructor(private readonly bucket: R2Bucket, private readonly key: string, private readonly options: R2PutOptions, private readonly partSize: number) {}

  async add(chunk: Uint8Array) {
    this.buffered.push(chunk)
    this.bufferedBytes += chunk.byteLength
    this.size += chunk.byteLength
    while (this.bufferedBytes >= this.partSize) await this.uploadPart(this.take(this.partSize))
  }

  async finish() {
    const rest = this.take(this.bufferedBytes)
    if (!this.upload) {
      await this.bucket.put(this.key, rest, this.options)
      return
    }
    if (rest.byteLength > 0) await this.uploadPart(rest)
    await this.upload.complete(this.parts)
  }

  async abort() {
    await this.upload?.abort().catch(() => undefined)
  }

  private async uploadPart(bytes: Uint8Array) {
    this.upload ??= await this.bucket.createMultipartUpload(this.key, this.options)
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, bytes))
  }

  /** The first `length` buffered bytes as one array. */
  private take(length: number): Uint8Array {
    const out = new Uint8Array(length)
    let filled = 0
    while (filled < length) {
      const head = this.buffered[0]
      if (!head) throw new RangeError(`take(${length}): only ${filled} bytes are buffered`)
      const wanted = Math.min(head.byteLength, length - filled)
      out.set(head.subarray(0, wanted), filled)
      filled += wanted
      if (wanted === head.byteLength) this.buffered.shift()
      else this.buffered[0] = head.subarray(wanted)
    }
    this.bufferedBytes -= length
    return out
  }
}

/**
 * Streams the lines `pages` yields into `key` as gzip NDJSON (one JSON object per line, each line ending in `\n`).
 * Returns the stored size and the SHA-256 of the uncompressed NDJSON. Nothing is left in R2 when it fails.
 */
export async function writeGzipNdjson(
  bucket: R2Bucket, key: string, pages: AsyncIterable<readonly string[]>, options: R2PutOptions = {}, partSize = PART_SIZE,
): Promise<WrittenObject> {
  const gzip = new CompressionStream('gzip')
  const digest = new crypto.DigestStream('SHA-256')
  const uploader = new PartUploader(bucket, key, options, partSize)
  const uploaded = (async () => {
    const reader = gzip.readable.getReader()
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) await uploader.add(chunk.value)
    await uploader.finish()
  })()
  // A failed upload stops reading the compressed side; writes would then wait for room forever, so they race it.
  const uploadFailed = uploaded.then(() => new Promise<never>(() => undefined))
  uploadFailed.catch(() => undefined)
  const compressor = gzip.writable.getWriter()
  const hasher = digest.getWriter()
  try {
    for await (const lines of pages) {
      if (lines.length === 0) continue
      const bytes = encoder.encode(`${lines.join('\n')}\n`)
      await Promise.race([Promise.all([compressor.write(bytes), hasher.write(bytes)]), uploadFailed])
    }
    await Promise.all([compressor.close(), hasher.close()])
    await uploaded
  } catch (error) {
    await compressor.abort(error).catch(() => undefined)
    await uploaded.catch(() => undefined)
    await uploader.abort()
    throw error
  }
  return { size: uploader.size, sha256: hex(await digest.digest) }
}
