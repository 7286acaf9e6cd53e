import fc from 'fast-check'
import type { Context } from 'hono'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { tokenCandidates } from '../../src/ocpi/auth'
import { OcpiError } from '../../src/ocpi/errors'
import { retryAfterMs } from '../../src/ocpi/headers'
import { nextLinkOf, parseLinkHeader } from '../../src/ocpi/link'
import { peerUrlProblem, REFUSE_PRIVATE } from '../../src/ocpi/outbound-url'
import { parsePageQuery } from '../../src/ocpi/paging'
import { DateTime, toEpochMs } from '../../src/ocpi/types'
import { OcpiClientError, ocpiRequest } from '../../src/peers/client'
import { discoverPeer } from '../../src/peers/discovery'
import { outboundSettings } from '../../src/peers/outbound-settings'
import { nextPageAfter } from '../../src/peers/paged-pull'
import { env } from 'cloudflare:workers'

// Every parser whose input a peer controls, fed arbitrary input: it answers or throws an OcpiError (the outbound client:
// an OcpiClientError, which its callers turn into 3001), never anything else.

const RUNS = { numRuns: 300 }

const headerText = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('', ' ', 'Token', 'Token ', 'Token ===', 'token  YQ==  ', 'Token ZXhhbXBsZS10b2tlbgo='))

describe('Authorization header', () => {
  it('gives candidate tokens or OcpiError 2000 with HTTP 401', () => {
    fc.assert(fc.property(fc.option(headerText), (header) => {
      try {
        const candidates = tokenCandidates(header)
        expect(candidates.length).toBeGreaterThan(0)
        for (const candidate of candidates) expect(typeof candidate).toBe('string')
      } catch (error) {
        expect(error).toBeInstanceOf(OcpiError)
        expect((error as OcpiError).detail.http_status).toBe(401)
      }
    }), RUNS)
  })

  it('reads back every printable token, encoded or raw', () => {
    fc.assert(fc.property(fc.stringMatching(/^[\x21-\x7E]{1,64}$/), (token) => {
      expect(tokenCandidates(`Token ${btoa(token)}`)).toContain(token)
      expect(tokenCandidates(`Token ${token}`)).toContain(token)
    }), RUNS)
  })
})

const linkish = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.array(fc.tuple(fc.oneof(fc.webUrl(), fc.string({ maxLength: 40 })), fc.constantFrom('rel="next"', 'rel=next', 'rel="prev next"', 'REL="NEXT"', 'rel', 'rel=""', 'title="a;b,c"', 'rel="next'), fc.boolean()))
    .map((links) => links.map(([uri, param, spaced]) => `<${uri}>${spaced ? ' ; ' : ';'}${param}`).join(', ')),
)

describe('Link header', () => {
  it('never throws, and a next link it finds is one the header carried', () => {
    fc.assert(fc.property(fc.option(linkish), (header) => {
      const links = parseLinkHeader(header)
      const next = nextLinkOf(header)
      if (next !== undefined) expect(header).toContain(next)
      for (const link of links) expect(Array.isArray(link.rel)).toBe(true)
    }), RUNS)
  })

  it('finds the next link among others, whatever the order', () => {
    fc.assert(fc.property(fc.webUrl(), fc.webUrl(), (next, other) => {
      expect(nextLinkOf(`<${other}>; rel="prev", <${next}>; rel="next"`)).toBe(next)
      expect(nextLinkOf(`<${next}>; title="x"; rel=next`)).toBe(next)
    }), RUNS)
  })

  it('the paged pull never throws and never leaves the page it was on', () => {
    const page = 'https://peer.example/ocpi/2.3.0/sender/locations?limit=10'
    fc.assert(fc.property(linkish, fc.nat(20_000), fc.nat(100), (header, pages, received) => {
      const { next_url } = nextPageAfter({ url: page, headers: new Headers({ Link: header.replace(/[\r\n\0]/g, '') }), received, pages })
      if (next_url !== null) {
        expect(new URL(next_url).origin).toBe('https://peer.example')
        expect(new URL(next_url).pathname).toBe('/ocpi/2.3.0/sender/locations')
      }
    }), RUNS)
  })
})

describe('paging query and cursor', () => {
  const context = (query: Record<string, string | undefined>) => ({ req: { query: (name: string) => query[name] } }) as unknown as Context
  const value = fc.option(fc.oneof(fc.string({ maxLength: 40 }), fc.bigInt().map(String), fc.double().map(String), fc.base64String({ maxLength: 200 }),
    fc.jsonValue().map((json) => btoa(JSON.stringify(json) ?? '').replace(/=+$/, ''))), { nil: undefined })

  it('gives safe integers and valid dates, or OcpiError 2001 naming the parameter', () => {
    fc.assert(fc.property(fc.record({ offset: value, limit: value, date_from: value, date_to: value, cursor: value }), (query) => {
      try {
        const page = parsePageQuery(context(query))
        expect(Number.isSafeInteger(page.offset) && page.offset >= 0).toBe(true)
        expect(Number.isSafeInteger(page.limit) && page.limit >= 0).toBe(true)
        for (const date of [page.date_from, page.date_to]) if (date !== undefined) expect(Number.isFinite(date)).toBe(true)
        if (page.after) expect(Number.isSafeInteger(page.after.last_updated)).toBe(true)
      } catch (error) {
        expect(error).toBeInstanceOf(OcpiError)
        expect((error as OcpiError).status_code).toBe(2001)
        expect(['offset', 'limit', 'date_from', 'date_to', 'cursor']).toContain((error as OcpiError).detail.path)
      }
    }), RUNS)
  })
})

describe('DateTime', () => {
  it('any string either validates to an instant that exists or is refused; neither throws', () => {
    const shaped = fc.tuple(fc.nat(9999), fc.nat(99), fc.nat(99), fc.nat(99), fc.nat(99), fc.nat(99), fc.constantFrom('', 'Z', '.5Z', '+00:00'))
      .map(([y, mo, d, h, mi, s, zone]) => `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}${zone}`)
    fc.assert(fc.property(fc.oneof(shaped, fc.string({ maxLength: 40 })), (value) => {
      if (DateTime.safeParse(value).success) expect(Number.isFinite(toEpochMs(value))).toBe(true)
      else expect(() => toEpochMs(value)).toThrow(RangeError)
    }), RUNS)
  })

  it('every real instant round-trips', () => {
    fc.assert(fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (date) => {
      const iso = date.toISOString()
      expect(DateTime.safeParse(iso).success).toBe(true)
      expect(toEpochMs(iso)).toBe(date.getTime())
    }), RUNS)
  })
})

describe('outbound URL and Retry-After', () => {
  it('the URL policy never throws', () => {
    fc.assert(fc.property(fc.oneof(fc.webUrl({ authoritySettings: { withUserInfo: true }, withQueryParameters: true }), fc.string({ maxLength: 100 }), fc.ipV4().map((ip) => `http://${ip}/`), fc.ipV6().map((ip) => `http://[${ip}]/`)), (url) => {
      const problem = peerUrlProblem(url, REFUSE_PRIVATE)
      expect(problem === undefined || typeof problem === 'string').toBe(true)
    }), RUNS)
  })

  it('Retry-After is a non-negative number of ms or undefined', () => {
    fc.assert(fc.property(fc.option(fc.oneof(fc.string({ maxLength: 40 }), fc.nat().map(String), fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()))), (header) => {
      const ms = retryAfterMs(header)
      if (ms !== undefined) expect(ms >= 0 && Number.isFinite(ms)).toBe(true)
    }), RUNS)
  })
})

describe("a peer's answer", () => {
  afterEach(() => vi.restoreAllMocks())
  const settings = outboundSettings({ PEER_RESPONSE_MAX_BYTES: '2048' })
  const answer = fc.record({
    status: fc.constantFrom(200, 201, 204, 301, 400, 401, 404, 429, 500, 503),
    body: fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.jsonValue().map((json) => new TextEncoder().encode(JSON.stringify(json))),
      fc.record({ data: fc.jsonValue(), status_code: fc.oneof(fc.integer(), fc.string()), status_message: fc.jsonValue() }).map((json) => new TextEncoder().encode(JSON.stringify(json)))),
  })
  const serve = ({ status, body }: { status: number; body: Uint8Array }) =>
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => new Response(status === 204 ? null : body, { status }))

  it('the client returns an envelope or throws OcpiClientError', async () => {
    await fc.assert(fc.asyncProperty(answer, async (reply) => {
      serve(reply)
      const response = await ocpiRequest({ method: 'GET', url: 'https://peer.example/x', retries: 0, settings }).catch((error) => {
        if (error instanceof OcpiClientError) return undefined
        throw error
      })
      if (response) expect(typeof response.status_code).toBe('number')
      vi.restoreAllMocks()
    }), { numRuns: 150 })
  })

  // Statuses the client retries (429, 5xx) wait between attempts: the client property above covers them.
  it('discovery turns any answer into a discovery or an OcpiError', async () => {
    await fc.assert(fc.asyncProperty(answer.filter((reply) => reply.status < 429), async (reply) => {
      serve(reply)
      await discoverPeer({ ...env, PEER_RESPONSE_MAX_BYTES: '2048' } as typeof env, 'https://peer.example/versions', 'token').catch((error) => {
        if (!(error instanceof OcpiError)) throw error
      })
      vi.restoreAllMocks()
    }), { numRuns: 150 })
  })
})
