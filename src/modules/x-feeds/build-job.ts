import { databaseFor } from '../../db/shards'
import type { Env } from '../../env'
import type { JobKind } from '../../jobs/types'
import type { KeysetPosition } from '../../ocpi/paging'
import { PUBLISHED_AUDIENCE } from './audience'
import { concatBytes, crc32, deflateSegment, GZIP_HEADER, gzipTrailer } from '../../ocpi/gzip-segments'
import { finishSha256, resumeSha256, saveSha256, type Sha256State } from './resumable-sha256'
import { feedSources } from './sources'
import { deleteSnapshots, insertSnapshot, listSnapshots, snapshotKey, type FeedId, type FeedSnapshot } from './store'

// One feed snapshot built as a background job (docs/jobs.md), one bounded chunk of objects per step, so a feed of
// 300,000 locations never needs one long invocation:
// - a step reads `chunk_size` objects by keyset after the previous chunk's last position, up to `built_at`;
// - it hashes their NDJSON into the running SHA-256 and CRC-32 kept in the job state, compresses it into deflate
//   blocks that continue the snapshot's one gzip stream (src/ocpi/gzip-segments.ts) and appends them to the compressed bytes
//   not yet uploaded, which wait in R2 (`{key}.buffer-{chunk}`) between steps;
// - every full PART_SIZE of them goes to the snapshot's R2 multipart upload (every part but the last of one size);
// - the last step completes the upload (or, for a feed smaller than one part, puts the object) and only then
//   inserts the snapshot's manifest in D1: that insert is the switch, so readers see the previous snapshot until it
//   and never a partial one.
// Every write of a step is keyed by the state it starts from, so a step repeated after a crash redoes the same work.

export const FEED_BUILD_JOB = 'x-feeds.build'

/** Bytes of each multipart part: R2 wants at least 5 MiB, all parts but the last of one size. */
export const PART_SIZE = 8 * 1024 * 1024
/** Objects per step: about 1.5 MB of NDJSON for locations. */
export const FEED_CHUNK_SIZE = 1000
/** Snapshots kept per feed: the newest, and the one before it for consumers still downloading it. */
export const SNAPSHOTS_KEPT = 2

export interface FeedBuildState {
  feed: FeedId
  fingerprint: string
  built_at: number
  chunk_size: number
  part_size: number
  /** Where the next chunk starts; null before the first. */
  after: KeysetPosition | null
  chunks: number
  object_count: number
  last_updated: number | null
  /** Gzip bytes written so far (uploaded and buffered). */
  size: number
  /** Gzip bytes waiting in `{key}.buffer-{chunks}`. */
  buffered: number
  upload_id: string | null
  parts: R2UploadedPart[]
  sha256: Sha256State | null
  /** CRC-32 and length of the NDJSON so far, for the gzip trailer. */
  crc32: number
  ndjson_bytes: number
  /** Milliseconds each step took, the last few. */
  step_ms: number[]
}

export function newFeedBuild(feed: FeedId, fingerprint: string, builtAt: number, chunkSize = FEED_CHUNK_SIZE, partSize = PART_SIZE): FeedBuildState {
  return {
    feed, fingerprint, built_at: builtAt, chunk_size: chunkSize, part_size: partSize, after: null, chunks: 0, object_count: 0,
    last_updated: null, size: 0, buffered: 0, upload_id: null, parts: [], sha256: null, crc32: 0, ndjson_bytes: 0, step_ms: [],
  }
}

/** The job id of a feed's build from one state of its data: the cron starting it again while it runs finds it running. */
export const feedBuildJobId = ({ party, version, module }: FeedId, fingerprint: string) =>
  `X-FEEDS-${party.country_code}-${party.party_id}-${version}-${module}-${fingerprint}`.toUpperCase()

const bufferKey = (state: FeedBuildState, chunk: number) => `${snapshotKey(state.feed, state.built_at)}.buffer-${chunk}`
const objectOptions: R2PutOptions = { httpMetadata: { contentType: 'application/x-ndjson', contentEncoding: 'gzip' } }
const encoder = new TextEncoder()

export const feedBuildJob: JobKind<FeedBuildState> = {
  async step(env, state) {
    const started = Date.now()
    const platform = databaseFor(env)
    const key = snapshotKey(state.feed, state.built_at)
    // Repeated after the switch (the job's state was not saved): nothing is left to do.
    if ((await listSnapshots(platform, state.feed)).some((snapshot) => snapshot.built_at === state.built_at)) return { state, done: true }

    const source = feedSources[state.feed.module]
    const objects = source.byParty ? databaseFor(env, state.feed.party) : platform
    const page = await source.page(objects, state.feed.party, state.feed.version, {
      offset: 0, limit: state.chunk_size, date_to: state.built_at, ...(state.after && { after: state.after }),
    })
    const last = page.next === undefined
    const ndjson = page.lines.length > 0 ? encoder.encode(`${page.lines.join('\n')}\n`) : new Uint8Array()
    const hash = resumeSha256(state.sha256 ?? undefined)
    hash.update(ndjson)

    const waiting = state.buffered > 0 ? await env.BUNDLES.get(bufferKey(state, state.chunks)) : null
    if (state.buffered > 0 && !waiting) throw new Error(`x-feeds: ${bufferKey(state, state.chunks)} is missing`)
    const crc = crc32(ndjson, state.crc32)
    const ndjsonBytes = state.ndjson_bytes + ndjson.byteLength
    const compressed = concatBytes([
      ...(state.chunks === 0 ? [GZIP_HEADER] : []), deflateSegment(ndjson), ...(last ? [gzipTrailer(crc, ndjsonBytes)] : []),
    ])
    let buffer = waiting ? concatBytes([new Uint8Array(await waiting.arrayBuffer()), compressed]) : compressed

    let uploadId = state.upload_id
    const parts = [...state.parts]
    const upload = async () => {
      if (uploadId) return env.BUNDLES.resumeMultipartUpload(key, uploadId)
      const created = await env.BUNDLES.createMultipartUpload(key, objectOptions)
      uploadId = created.uploadId
      return created
    }
    while (buffer.byteLength >= state.part_size && (!last || buffer.byteLength > state.part_size)) {
      parts.push(await (await upload()).uploadPart(parts.length + 1, buffer.subarray(0, state.part_size)))
      buffer = buffer.subarray(state.part_size)
    }

    const next: FeedBuildState = {
      ...state,
      after: page.next?.after ?? state.after,
      chunks: state.chunks + 1,
      object_count: state.object_count + page.lines.length,
      last_updated: page.last_updated ?? state.last_updated,
      size: state.size + compressed.byteLength,
      buffered: last ? 0 : buffer.byteLength,
      upload_id: uploadId,
      parts,
      sha256: saveSha256(hash),
      crc32: crc,
      ndjson_bytes: ndjsonBytes,
      step_ms: [...state.step_ms.slice(-9), Date.now() - started],
    }
    if (!last) {
      if (buffer.byteLength > 0) await env.BUNDLES.put(bufferKey(next, next.chunks), buffer)
      // The buffer this step started from is still needed if this step is repeated; the one before it is not.
      if (state.chunks > 0) await env.BUNDLES.delete(bufferKey(state, state.chunks - 1))
      return { state: next, done: false }
    }

    if (!(await env.BUNDLES.head(key))) {
      if (uploadId) {
        const finishing = await upload()
        if (buffer.byteLength > 0) parts.push(await finishing.uploadPart(parts.length + 1, buffer))
        await finishing.complete(parts)
      } else await env.BUNDLES.put(key, buffer, objectOptions)
    }
    await insertSnapshot(platform, snapshotOf(next, finishSha256(hash)))
    await env.BUNDLES.delete([bufferKey(state, state.chunks), ...(state.chunks > 0 ? [bufferKey(state, state.chunks - 1)] : [])])
    await pruneSnapshots(env, state.feed)
    return { state: { ...next, parts: [] }, done: true }
  },
  progress: (state) => ({
    feed: `${state.feed.party.country_code}*${state.feed.party.party_id} ${state.feed.version} ${state.feed.module}`,
    built_at: new Date(state.built_at).toISOString(),
    objects: state.object_count,
    chunks: state.chunks,
    size: state.size,
    last_step_ms: state.step_ms.at(-1) ?? null,
  }),
  async failed(env, state) {
    if (state.upload_id) await env.BUNDLES.resumeMultipartUpload(snapshotKey(state.feed, state.built_at), state.upload_id).abort().catch(() => undefined)
    await env.BUNDLES.delete([bufferKey(state, state.chunks), ...(state.chunks > 0 ? [bufferKey(state, state.chunks - 1)] : [])]).catch(() => undefined)
  },
}

function snapshotOf(state: FeedBuildState, sha256: string): FeedSnapshot {
  return {
    country_code: state.feed.party.country_code, party_id: state.feed.party.party_id, version: state.feed.version, module: state.feed.module,
    built_at: state.built_at, audience: PUBLISHED_AUDIENCE, r2_key: snapshotKey(state.feed, state.built_at), object_count: state.object_count,
    size: state.size, sha256, last_updated: state.last_updated, fingerprint: state.fingerprint,
  }
}

/** Keeps the newest SNAPSHOTS_KEPT snapshots of a feed; older ones leave R2 first, then their manifest. */
async function pruneSnapshots(env: Env, feed: FeedId): Promise<void> {
  const db = databaseFor(env)
  const old = (await listSnapshots(db, feed)).slice(SNAPSHOTS_KEPT)
  if (old.length === 0) return
  await env.BUNDLES.delete(old.map((snapshot) => snapshot.r2_key))
  await deleteSnapshots(db, feed, old.map((snapshot) => snapshot.built_at))
}
