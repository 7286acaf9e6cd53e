import type { Context, MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import { RequestStatsBuffer } from '../admin/request-stats-buffer'
import type { PeerRequestCounters } from '../admin/request-stats'
import type { Env } from '../env'
import type { OcpiEnv } from '../ocpi/context'
import { isUsableMessageId } from '../ocpi/headers'
import { keepAliveOf } from '../ocpi/keep-alive'
import { logError, logRequest, type RequestLogLine } from '../ocpi/log'
import { peerOutbox } from '../push/publish'

/** This isolate's request counters per peer, sent to each peer's PeerOutbox at most every few seconds. */
export const requestStats = new RequestStatsBuffer()

type LoggedEnv = { Bindings: Env; Variables: Partial<OcpiEnv['Variables']> }

/**
 * One JSON line per OCPI and management request (src/ocpi/log.ts), and the per-peer counters of OCPI requests. Both
 * are built after the response from the matched route pattern and the context, never from the raw path or headers
 * other than the message IDs, so no token, token uid or contract id can reach them.
 */
export function requestLog(): MiddlewareHandler<LoggedEnv> {
  return async (c, next) => {
    const started = performance.now()
    await next()
    const durationMs = performance.now() - started
    const line = logLineOf(c, durationMs)
    // The management API gets the message IDs OCPI requests already carry (src/ocpi/headers.ts), to find its log line.
    if (!c.get('requestId') && !c.res.headers.has('X-Request-ID')) {
      // A Response passed through from fetch() or a Durable Object has immutable headers: answer with a copy.
      try {
        c.res.headers.set('X-Request-ID', line.request_id)
      } catch {
        c.res = new Response(c.res.body, c.res)
        c.res.headers.set('X-Request-ID', line.request_id)
      }
    }
    logRequest(line)
    if (line.peer_id) {
      const error = line.status >= 400 || (line.ocpi_status_code !== null && (line.ocpi_status_code < 1000 || line.ocpi_status_code >= 2000))
      requestStats.record(line.peer_id, line.module, { durationMs, error, at: Date.now() })
    }
    const due = requestStats.takeIfDue()
    if (due) keepAliveOf(c)(flushRequestStats(c.env, due))
  }
}

function logLineOf(c: Context<LoggedEnv>, durationMs: number): RequestLogLine {
  const route = routePattern(c)
  // OCPI requests have their message IDs from src/ocpi/headers.ts already; only the management API reads them here.
  const requestId = c.get('requestId') ?? sentMessageId(c, 'X-Request-ID') ?? crypto.randomUUID()
  return {
    request_id: requestId,
    correlation_id: c.get('correlationId') ?? sentMessageId(c, 'X-Correlation-ID') ?? requestId,
    peer_id: c.get('peer')?.id ?? null,
    module: route ? moduleOfRoute(route) : null,
    method: c.req.method,
    route,
    status: c.res.status,
    ocpi_status_code: c.get('ocpiStatusCode') ?? null,
    duration_ms: Math.round(durationMs * 100) / 100,
  }
}

function sentMessageId(c: Context<LoggedEnv>, name: string): string | undefined {
  const sent = c.req.header(name)
  return isUsableMessageId(sent) ? sent : undefined
}

/** The pattern of the route that answered (middleware is registered for every method and is skipped). */
function routePattern(c: Context): string | null {
  const handlers = matchedRoutes(c).filter((route) => route.method !== 'ALL')
  return handlers.at(-1)?.path ?? null
}

/** moduleOf, once per registered route pattern: the patterns are the apps' routes, a fixed few hundred. */
function moduleOfRoute(route: string): string | null {
  let module = modulesByRoute.get(route)
  if (module === undefined) modulesByRoute.set(route, (module = moduleOf(route)))
  return module
}
const modulesByRoute = new Map<string, string | null>()

/** `/ocpi/2.3.0/sender/locations/...` gives `locations`, `/ocpi/versions` `versions`, `/admin/v1/peers/...` `peers`. */
export function moduleOf(route: string): string | null {
  const segments = route.split('/').filter(Boolean)
  if (segments[0] === 'ocpi') {
    const [, , kind, module] = segments
    if (segments[1] === 'versions') return 'versions'
    return kind === 'sender' || kind === 'receiver' ? (module ?? null) : (kind ?? null)
  }
  if (segments[0] === 'admin' && segments[1] === 'v1') return segments[2] ?? null
  return null
}

/** Adds the counters to each peer's PeerOutbox; a failed flush loses them (they are statistics, not records). */
export async function flushRequestStats(env: Env, counters: Map<string, PeerRequestCounters>): Promise<void> {
  await Promise.all([...counters].map(async ([peerId, peerCounters]) => {
    try {
      await peerOutbox(env, peerId).mergeRequestStats(peerCounters)
    } catch (error) {
      logError(`request stats of peer ${peerId}`, error)
    }
  }))
}
