import type { FeedSnapshot } from './store'

/** The Feed object of the x-feeds list (docs/extensions/x-feeds.md, "Feed object"): one snapshot's manifest. */
export interface Feed {
  country_code: string
  party_id: string
  module: string
  version: string
  url: string
  content_type: 'application/x-ndjson'
  content_encoding: 'gzip'
  object_count: number
  size: number
  sha256: string
  built_at: string
  last_updated: string | null
}

const iso = (epochMs: number) => new Date(epochMs).toISOString()

/** `listUrl`: the URL of the x-feeds list, `.../ocpi/{version}/sender/x-feeds`. */
export function toFeed(snapshot: FeedSnapshot, listUrl: string): Feed {
  return {
    country_code: snapshot.country_code,
    party_id: snapshot.party_id,
    module: snapshot.module,
    version: snapshot.version,
    url: `${listUrl}/${snapshot.country_code}/${snapshot.party_id}/${snapshot.module}`,
    content_type: 'application/x-ndjson',
    content_encoding: 'gzip',
    object_count: snapshot.object_count,
    size: snapshot.size,
    sha256: snapshot.sha256,
    built_at: iso(snapshot.built_at),
    last_updated: snapshot.last_updated === null ? null : iso(snapshot.last_updated),
  }
}

/** Strong entity tag of a snapshot: its content hash. */
export const entityTag = (snapshot: Pick<FeedSnapshot, 'sha256'>) => `"${snapshot.sha256}"`
