import { describe, expect, it } from 'vitest'
import { OcpiClientError } from '../../src/peers/client'
import { endpointUrl } from '../../src/peers/client'
import { mergePatch, outcomeOfError, outcomeOfResponse, placeByVersion, retryDelay, supersededBy } from '../../src/push/outbox-policy'
import { EMSP, locationChange } from './fixtures'

const answer = (status_code: number, http_status = 200) => ({ status_code, http_status, status_message: 'message', data: null, headers: new Headers() })

describe('delivery outcomes', () => {
  it.each([
    [1000, 200, 'delivered'],
    [2001, 200, 'rejected'],
    [2003, 404, 'rejected'],
    [2000, 401, 'retry'],
    [3000, 200, 'retry'],
    [3001, 200, 'retry'],
    [4001, 200, 'rejected'],
    [4003, 200, 'retry'],
  ])('OCPI %i with HTTP %i: %s', (statusCode, httpStatus, kind) => {
    expect(outcomeOfResponse(answer(statusCode, httpStatus)).kind).toBe(kind)
  })

  it.each([
    [new OcpiClientError('network', 'refused'), 'retry'],
    [new OcpiClientError('timeout', 'timed out'), 'retry'],
    [new OcpiClientError('http', 'bad gateway', 502), 'retry'],
    [new OcpiClientError('http', 'unauthorized', 401), 'retry'],
    [new OcpiClientError('http', 'not found', 404), 'retry'],
    [new OcpiClientError('http', 'bad request', 400), 'rejected'],
    [new OcpiClientError('http', 'too large', 413), 'rejected'],
    [new OcpiClientError('envelope', 'HTTP 200 without an OCPI envelope', 200), 'delivered'],
    [new TypeError('anything else'), 'retry'],
  ])('%s: %s', (error, kind) => {
    expect(outcomeOfError(error).kind).toBe(kind)
  })

  it.each([
    [new OcpiClientError('network', 'connection refused'), 'peer'],
    [new OcpiClientError('http', 'unauthorized', 401), 'peer'],
    [new OcpiClientError('http', 'too many requests', 429), 'peer'],
    [new OcpiClientError('http', 'unavailable', 503, undefined, 5_000), 'peer'],
    [new OcpiClientError('timeout', 'timed out'), 'object'],
    [new OcpiClientError('http', 'bad gateway', 502), 'object'],
    [new OcpiClientError('http', 'unavailable', 503), 'object'],
  ])('%s: a failure of the %s', (error, scope) => {
    expect(outcomeOfError(error)).toMatchObject({ kind: 'retry', scope })
  })

  it('a 3xxx answer is a failure of the object, a 401 one of the peer', () => {
    expect(outcomeOfResponse(answer(3000))).toMatchObject({ kind: 'retry', scope: 'object' })
    expect(outcomeOfResponse(answer(2000, 401))).toMatchObject({ kind: 'retry', scope: 'peer' })
  })

  it("carries a 429's Retry-After so the outbox waits at least that long", () => {
    expect(outcomeOfError(new OcpiClientError('http', 'too many requests', 429, undefined, 30_000))).toEqual({ kind: 'retry', scope: 'peer', error: 'too many requests', retry_after_ms: 30_000 })
  })
})

describe('retryDelay', () => {
  it('doubles from the base, stays within [half, all] of the step, and never passes the cap', () => {
    expect(retryDelay(1, 1_000, 300_000, () => 0)).toBe(500)
    expect(retryDelay(1, 1_000, 300_000, () => 1)).toBe(1_000)
    expect(retryDelay(4, 1_000, 300_000, () => 1)).toBe(8_000)
    expect(retryDelay(20, 1_000, 300_000, () => 1)).toBe(300_000)
    expect(retryDelay(10_000, 1_000, 300_000, () => 0)).toBe(150_000)
  })
})

describe('coalescing rules', () => {
  const put = locationChange('PUT', 'LOC1', { name: 'a', city: 'X', last_updated: '2026-01-01T00:00:00Z' })
  const patch = locationChange('PATCH', 'LOC1', { name: 'b', last_updated: '2026-01-01T00:00:05Z' })

  it('merges a PATCH into a PUT or PATCH of the same path and addressee, later fields and last_updated winning', () => {
    expect(mergePatch(put, EMSP, patch, EMSP)?.bodies['2.3.0']).toEqual({ name: 'b', city: 'X', last_updated: '2026-01-01T00:00:05Z' })
    expect(mergePatch(put, EMSP, patch, EMSP)?.method).toBe('PUT')
    expect(mergePatch(patch, EMSP, locationChange('PATCH', 'LOC1', { publish: true }), EMSP)?.method).toBe('PATCH')
  })

  it('refuses what would change what the peer receives', () => {
    expect(mergePatch(put, EMSP, locationChange('PATCH', 'LOC1', { status: 'AVAILABLE' }, ['EVSE1']), EMSP)).toBeUndefined()
    expect(mergePatch(put, EMSP, patch, { country_code: 'BE', party_id: 'OTH' })).toBeUndefined()
    expect(mergePatch(locationChange('DELETE', 'LOC1'), EMSP, patch, EMSP)).toBeUndefined()
    expect(mergePatch(put, EMSP, { ...patch, bodies: { '2.3.0': { name: 'b' } } }, EMSP)).toBeUndefined()
    expect(mergePatch(put, EMSP, locationChange('PUT', 'LOC1'), EMSP)).toBeUndefined()
  })

  it('lets a PUT supersede a PUT or PATCH of the same path or below it, never a newer version', () => {
    expect(supersededBy(patch, EMSP, put, EMSP)).toBe(true)
    expect(supersededBy(put, EMSP, put, EMSP)).toBe(true)
    expect(supersededBy(put, EMSP, patch, EMSP)).toBe(false)
    expect(supersededBy(locationChange('PUT', 'LOC1', {}, ['EVSE1']), EMSP, put, EMSP)).toBe(true)
    expect(supersededBy(put, EMSP, locationChange('PUT', 'LOC1', {}, ['EVSE1']), EMSP)).toBe(false)
    expect(supersededBy({ ...patch, version: 5 }, EMSP, { ...put, version: 4 }, EMSP)).toBe(false)
    expect(supersededBy(locationChange('DELETE', 'LOC1'), EMSP, put, EMSP)).toBe(false)
  })
})

describe('binding pushes to versions', () => {
  const snapshot = { path: ['NL', 'CPO', 'LOC1'], bodies: { '2.3.0': { id: 'LOC1', name: 'whole' }, '2.2.1': { id: 'LOC1', name: 'whole' } } }
  const patchAt = (version: number) => ({ ...locationChange('PATCH', 'LOC1', { name: `v${version}`, last_updated: '2026-01-01T00:00:00Z' }, ['EVSE1']), version, snapshot })

  it('queues a PATCH that directly follows the newest queued version as it is', () => {
    expect(placeByVersion(patchAt(4), 3)).toEqual({ kind: 'queue', change: patchAt(4) })
  })

  it('sends the whole object instead of a PATCH after a gap or as the first it sees of the object', () => {
    for (const known of [undefined, 2]) {
      const placed = placeByVersion(patchAt(4), known)
      expect(placed).toMatchObject({ kind: 'queue', change: { method: 'PUT', path: ['NL', 'CPO', 'LOC1'], bodies: snapshot.bodies, version: 4 } })
      expect(placed.kind === 'queue' && placed.change).not.toHaveProperty('snapshot')
    }
  })

  it('drops what is older than the newest queued version, and a PATCH of that same version', () => {
    expect(placeByVersion(patchAt(3), 4)).toEqual({ kind: 'stale' })
    expect(placeByVersion(patchAt(4), 4)).toEqual({ kind: 'stale' })
    expect(placeByVersion({ ...locationChange('PUT', 'LOC1'), version: 3 }, 4)).toEqual({ kind: 'stale' })
    // The same version again as a whole object: another view of it (e.g. a sharing policy change), sent.
    expect(placeByVersion({ ...locationChange('PUT', 'LOC1'), version: 4 }, 4)).toMatchObject({ kind: 'queue' })
  })

  it('leaves pushes without a version alone', () => {
    const change = locationChange('PATCH', 'LOC1', { name: 'x' })
    expect(placeByVersion(change, 7)).toEqual({ kind: 'queue', change })
  })

  it('merges a following PATCH into a queued PUT as the later snapshot, and never two lists shallowly', () => {
    const put = { ...locationChange('PUT', 'LOC1', { name: 'a' }), version: 1 }
    const next = { ...locationChange('PATCH', 'LOC1', { name: 'b' }), version: 2, snapshot }
    expect(mergePatch(put, EMSP, next, EMSP)).toMatchObject({ method: 'PUT', bodies: snapshot.bodies, version: 2 })
    const evses = (uid: string) => locationChange('PATCH', 'LOC1', { evses: [{ uid }] })
    expect(mergePatch(evses('E1'), EMSP, evses('E2'), EMSP)).toBeUndefined()
  })
})

describe('endpointUrl', () => {
  it('appends URL-encoded path segments to the endpoint', () => {
    expect(endpointUrl('https://x.example/ocpi/2.2.1/locations/', ['NL', 'CPO', 'A/B C+1'])).toBe('https://x.example/ocpi/2.2.1/locations/NL/CPO/A%2FB%20C%2B1')
  })
})
