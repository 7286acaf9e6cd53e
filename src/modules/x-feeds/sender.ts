import { respondPage } from '../../ocpi/page-response'
import { Hono, type Context } from 'hono'
import type { OcpiEnv } from '../../ocpi/context'
import { OcpiError } from '../../ocpi/errors'
import { parsePageQuery } from '../../ocpi/paging'
import { feedAccessOf } from './audience'
import { entityTag, toFeed } from './manifest'
import { isFeedModule } from './sources'
import { latestSnapshot, latestSnapshotsOf, type FeedSnapshot } from './store'

// x-feeds Sender interface (docs/extensions/x-feeds.md): the feeds a peer may download, and the newest snapshot of one.

const inDateRange = (snapshot: FeedSnapshot, query: { date_from?: number; date_to?: number }) =>
  (query.date_from === undefined || snapshot.built_at >= query.date_from) && (query.date_to === undefined || snapshot.built_at < query.date_to)

/** Whether an If-None-Match header names this tag (RFC 9110 13.1.2: weak comparison, `*` matches any). */
function matchesIfNoneMatch(header: string | undefined, tag: string): boolean {
  if (!header) return false
  return header.split(',').map((value) => value.trim().replace(/^W\//, '')).some((value) => value === '*' || value === tag)
}

async function download(c: Context<OcpiEnv>) {
  const { country_code, party_id, module = '' } = c.req.param() as Partial<Record<string, string>>
  if (!country_code || !party_id || !isFeedModule(module)) throw OcpiError.unknownObject(`Feed ${module}`)
  const party = { country_code: country_code.toUpperCase(), party_id: party_id.toUpperCase() }
  const refusal = (await feedAccessOf(c.get('db'), c.get('peer')))(party, module)
  if (refusal) throw new OcpiError(2001, refusal, { http_status: 404 })
  const snapshot = await latestSnapshot(c.get('db'), { party, version: c.get('version'), module })
  if (!snapshot) throw OcpiError.unknownObject(`Feed ${party.country_code}*${party.party_id} ${module}`)
  const tag = entityTag(snapshot)
  const headers = { ETag: tag, 'Cache-Control': 'private, no-cache', 'Last-Modified': new Date(snapshot.built_at).toUTCString() }
  if (matchesIfNoneMatch(c.req.header('If-None-Match'), tag)) return new Response(null, { status: 304, headers })
  const object = await c.env.BUNDLES.get(snapshot.r2_key)
  if (!object) throw OcpiError.unknownObject(`Feed ${party.country_code}*${party.party_id} ${module}`)
  // The body is gzip as stored; `manual` keeps the runtime from compressing it a second time.
  return new Response(object.body, {
    status: 200,
    encodeBody: 'manual',
    headers: { ...headers, 'Content-Type': 'application/x-ndjson', 'Content-Encoding': 'gzip', 'Content-Length': String(object.size) },
  })
}

export const sender = new Hono<OcpiEnv>()
  .get('/', async (c) => {
    const query = parsePageQuery(c)
    const latest = (await latestSnapshotsOf(c.get('db'), c.get('version'))).filter((snapshot) => inDateRange(snapshot, query))
    const refusal = await feedAccessOf(c.get('db'), c.get('peer'))
    const served = latest.filter((snapshot) => refusal(snapshot, snapshot.module) === undefined)
    const objects = served.slice(query.offset, query.offset + query.limit)
    // This list's own URL, resolved as the paging Link is.
    const listUrl = new URL(c.req.path, c.env.PUBLIC_URL).toString().replace(/\/$/, '')
    return respondPage(c, query, { objects, total: served.length }, (snapshot) => toFeed(snapshot, listUrl))
  })
  .get('/:country_code/:party_id/:module', download)
