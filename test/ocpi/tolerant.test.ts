import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { parseTolerant } from '../../src/ocpi/tolerant'
import { locationVersions } from '../../src/ocpi/objects/version-maps'
import locationExample from '../fixtures/spec/2.2.1/examples/location_example.json'

const Thing = z.object({
  id: z.string(),
  name: z.string().optional(),
  tags: z.array(z.enum(['A', 'B'])).optional(),
  hours: z.array(z.object({ weekday: z.number().int(), period_begin: z.string() })).optional(),
  required_list: z.array(z.string()).min(1),
})

describe('parseTolerant', () => {
  it('keeps a valid object as it is', () => {
    expect(parseTolerant(Thing, { id: 'X', required_list: ['a'] })).toEqual({ success: true, data: { id: 'X', required_list: ['a'] }, dropped: [], drops: [] })
  })

  it('drops an invalid optional field, list element, or list element with a bad required field, and says so', () => {
    const result = parseTolerant(Thing, { id: 'X', name: ['n'], tags: ['A', 'C', 'B'], hours: [{ weekday: 'MONDAY', period_begin: '08:00' }, { weekday: 1, period_begin: '09:00' }], required_list: ['a'] })
    expect(result.success).toBe(true)
    expect(result.data).toEqual({ id: 'X', tags: ['A', 'B'], hours: [{ weekday: 1, period_begin: '09:00' }], required_list: ['a'] })
    expect(result.dropped.map((line) => line.split(':')[0])).toEqual(['name', 'tags.1', 'hours.0'])
  })

  it('refuses when a required field is wrong or a required list would become too short', () => {
    expect(parseTolerant(Thing, { id: 7, required_list: ['a'] }).success).toBe(false)
    expect(parseTolerant(Thing, { id: 'X', required_list: [7] }).success).toBe(false)
  })

  it('reads the real-hub cases into a 2.2.1 Location: a name as a list, a 2.3.0 facility, a weekday as a string', () => {
    const broken = structuredClone(locationExample) as Record<string, any>
    broken.related_locations = [{ latitude: '51.047599', longitude: '3.729944', name: [{ language: 'en', text: 'Exit' }] }]
    broken.facilities = ['BUS_STOP', 'PARKING_LOT_FOR_EV', 'MUSEUM']
    broken.opening_times = { twentyfourseven: false, regular_hours: [{ weekday: 'MONDAY', period_begin: '08:00', period_end: '20:00' }, { weekday: 2, period_begin: '08:00', period_end: '20:00' }] }
    const result = parseTolerant(locationVersions['2.2.1'].schema, broken)
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true)
    expect(result.dropped.length).toBeGreaterThanOrEqual(3)
  })

  it('property: never throws, and whatever it accepts parses strictly, with nothing dropped from a valid object', () => {
    fc.assert(fc.property(fc.anything(), (value) => {
      const result = parseTolerant(Thing, value)
      if (result.success) expect(Thing.safeParse(result.data).success).toBe(true)
      if (Thing.safeParse(value).success) expect(result.dropped).toEqual([])
    }))
    const valid = fc.record({ id: fc.string(), required_list: fc.array(fc.string(), { minLength: 1 }) })
    const noise = fc.record({ name: fc.anything(), tags: fc.array(fc.oneof(fc.constantFrom('A', 'B'), fc.anything())) }, { requiredKeys: [] })
    fc.assert(fc.property(valid, noise, (object, extra) => {
      const result = parseTolerant(Thing, { ...object, ...extra })
      // Only optional parts are ever wrong here: the object is always kept, its required fields untouched.
      expect(result.success).toBe(true)
      expect(result.data).toMatchObject(object)
    }))
  })
})
