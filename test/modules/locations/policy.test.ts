import { describe, expect, it } from 'vitest'
import { SharingPolicy, mayView, visibilityFor } from '../../../src/ocpi/objects/sharing-policy'

const emsp = { id: 'peer-emsp', roles: [{ role: 'EMSP' }] }
const nap = { id: 'peer-nap', roles: [{ role: 'NAP' }] }
const both = { id: 'peer-both', roles: [{ role: 'EMSP' }, { role: 'NSP' }] }
const published = { id: 'LOC1', publish: true }
const unpublished = { id: 'LOC2', publish: false }

describe('data-sharing policy (B1.5)', () => {
  it('shares published locations with everyone when a party has no policy', () => {
    expect(mayView(undefined, emsp, published)).toBe(true)
    expect(mayView(undefined, emsp, unpublished)).toBe(false)
  })

  it('gives publish=false locations only to peers the policy names them for', () => {
    const policy: SharingPolicy = { default: 'all', peers: { 'peer-emsp': ['loc2', 'LOC1'] } }
    expect(mayView(policy, emsp, unpublished)).toBe(true) // ids are CiString: case-insensitive
    expect(mayView(policy, nap, unpublished)).toBe(false)
    expect(mayView(policy, nap, published)).toBe(true)
  })

  it('lets a peer entry win over role entries, and role entries over the default', () => {
    const policy: SharingPolicy = { default: 'none', roles: { NAP: 'all' }, peers: { 'peer-nap': 'none' } }
    expect(mayView(policy, nap, published)).toBe(false)
    expect(mayView({ ...policy, peers: {} }, nap, published)).toBe(true)
    expect(mayView(policy, emsp, published)).toBe(false)
  })

  it('unites the grants of all roles a peer has', () => {
    const visibility = visibilityFor({ default: 'none', roles: { EMSP: ['LOC2'], NSP: 'all' } }, both)
    expect(visibility.published).toBe(true)
    expect([...visibility.ids]).toEqual(['LOC2'])
  })

  it('validates the policy body', () => {
    expect(SharingPolicy.safeParse({ default: 'some' }).success).toBe(false)
    expect(SharingPolicy.safeParse({ default: 'all', roles: { DRIVER: 'all' } }).success).toBe(false)
    expect(SharingPolicy.safeParse({ default: 'all', roles: { NAP: ['LOC1'] }, peers: { p1: 'none' } }).success).toBe(true)
  })
})
