import { describe, expect, it } from 'vitest'
import { OcpiClientError } from '../../src/peers/client'
import { endpointUrl } from '../../src/peers/client'
import { mergePatch, outcomeOfError, outcomeOfResponse, retryDelay, supersededBy } from '../../src/push/outbox-policy'
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

  it('lets a PUT supersede a PUT or PATCH of the same path only', () => {
    expect(supersededBy(patch, EMSP, put, EMSP)).toBe(true)
    expect(supersededBy(put, EMSP, put, EMSP)).toBe(true)
    expect(supersededBy(put, EMSP, patch, EMSP)).toBe(false)
    expect(supersededBy(locationChange('PUT', 'LOC1', {}, ['EVSE1']), EMSP, put, EMSP)).toBe(false)
    expect(supersededBy(locationChange('DELETE', 'LOC1'), EMSP, put, EMSP)).toBe(false)
  })
})

describe('endpointUrl', () => {
  it('appends URL-encoded path segments to the endpoint', () => {
    expect(endpointUrl('https://x.example/ocpi/2.2.1/locations/', ['NL', 'CPO', 'A/B C+1'])).toBe('https://x.example/ocpi/2.2.1/locations/NL/CPO/A%2FB%20C%2B1')
  })
})
