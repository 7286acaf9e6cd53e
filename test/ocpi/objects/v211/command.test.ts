import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CommandResponse, CommandResult, CommandResultType, ReserveNow, StartSession, StopSession, UnlockConnector } from '../../../../src/ocpi/objects/command'
import {
  COMMAND_TIMEOUT_211, command211Losses, CommandResponse211, commandResponse211, commandResult211, ReserveNow211, reserveNow211, reservationIdTo211, StartSession211,
  startSession211, StopSession211, stopSession211, UnlockConnector211, unlockConnector211,
} from '../../../../src/ocpi/objects/v211/command'
import { token211 } from '../../../../src/ocpi/objects/v211/token'
import { dateTime, id, optional } from './arbitraries'
import { expectDocumented, expectLossesDeclared, expectStable } from './checks'

const owner = { country_code: 'NL', party_id: 'EMS' }
const token = { uid: '012345678', type: 'RFID', auth_id: 'DE8ACC12E46L89', issuer: 'TheNewMotion', valid: true, whitelist: 'ALLOWED', last_updated: '2015-06-29T22:39:09Z' } as const
const response_url = 'https://emsp.example.com/ocpi/emsp/2.1.1/commands/START_SESSION/1'

describe('2.1.1 commands', () => {
  it('reads a START_SESSION with the eMSP\'s token, and sends one without what 2.1.1 lacks', () => {
    const wire = StartSession211.parse({ response_url, token, location_id: 'LOC1', evse_uid: 'E1' })
    const canonical = startSession211.toCanonical(wire, owner)
    expect(StartSession.parse(canonical)).toStrictEqual({ response_url, location_id: 'LOC1', evse_uid: 'E1', token: token211.toCanonical(token, owner) })
    expect(startSession211.fromCanonical({ ...canonical, connector_id: '1', authorization_reference: 'R' })).toStrictEqual(wire)
  })

  it('carries a reservation id as an int, hashing one that is not a number the same way every time', () => {
    const wire = ReserveNow211.parse({ response_url, token, expiry_date: '2015-06-29T23:39:09Z', reservation_id: 42, location_id: 'LOC1' })
    const canonical = reserveNow211.toCanonical(wire, owner)
    expect(canonical.reservation_id).toBe('42')
    expect(reserveNow211.fromCanonical(canonical)).toStrictEqual(wire)
    const hashed = reservationIdTo211('RES-abc')
    expect(hashed).toBe(reservationIdTo211('RES-abc'))
    expect(ReserveNow211.shape.reservation_id.safeParse(hashed).success).toBe(true)
    expect(hashed).not.toBe(reservationIdTo211('RES-abd'))
  })

  it('reads the CPO\'s answer with a timeout of its own, and a TIMEOUT answer as not carried out', () => {
    expect(commandResponse211.toCanonical({ result: 'ACCEPTED' })).toStrictEqual({ result: 'ACCEPTED', timeout: COMMAND_TIMEOUT_211 })
    expect(commandResponse211.toCanonical({ result: 'TIMEOUT' })).toStrictEqual({ result: 'REJECTED', timeout: COMMAND_TIMEOUT_211 })
    expect(commandResponse211.fromCanonical({ result: 'UNKNOWN_SESSION', timeout: 30, message: [{ language: 'en', text: 'x' }] })).toStrictEqual({ result: 'UNKNOWN_SESSION' })
  })

  it('carries the Charge Point\'s result as a 2.1.1 CommandResponse, both ways', () => {
    expect(commandResult211.toCanonical({ result: 'TIMEOUT' })).toStrictEqual({ result: 'TIMEOUT' })
    expect(commandResult211.toCanonical({ result: 'UNKNOWN_SESSION' })).toStrictEqual({ result: 'REJECTED' })
    for (const result of CommandResultType.options) expect(CommandResponse211.safeParse(commandResult211.fromCanonical({ result })).success).toBe(true)
    expect(commandResult211.fromCanonical({ result: 'EVSE_OCCUPIED' })).toStrictEqual({ result: 'REJECTED' })
  })

  it('lists every field that differs between the versions as lost', () => {
    expectLossesDeclared(command211Losses, 'CommandResponse', CommandResponse, CommandResponse211)
    expectLossesDeclared(command211Losses, 'CommandResult', CommandResult, CommandResponse211)
    expectLossesDeclared(command211Losses, 'ReserveNow', ReserveNow, ReserveNow211)
    expectLossesDeclared(command211Losses, 'StartSession', StartSession, StartSession211)
    expectLossesDeclared(command211Losses, 'StopSession', StopSession, StopSession211)
    expectLossesDeclared(command211Losses, 'UnlockConnector', UnlockConnector, UnlockConnector211)
  })

  it('docs/ocpi-2.1.1.md shows the same losses', () => expectDocumented(command211Losses))

  it('wire -> canonical -> wire is stable after one round, and canonical -> 2.1.1 is valid 2.1.1', () => {
    const wireToken = fc.record({ uid: id(36), auth_id: id(36), type: fc.constantFrom('RFID' as const, 'OTHER' as const) }).map((fields) => ({ ...token, ...fields }))
    const url = fc.constantFrom(response_url, 'http://localhost:8787/x')
    const start = fc.record({ response_url: url, token: wireToken, location_id: id(39), evse_uid: optional(id(39)) }).map((value) => JSON.parse(JSON.stringify(value)) as StartSession211)
    const reserve = fc.record({ response_url: url, token: wireToken, expiry_date: dateTime, reservation_id: fc.oneof(fc.nat(), fc.integer({ min: -1000, max: 0 }), fc.maxSafeInteger()), location_id: id(39) })
    fc.assert(fc.property(start, (value) => expectStable(startSession211, value, owner)), { numRuns: 100 })
    fc.assert(fc.property(reserve, (value) => expectStable(reserveNow211, value, owner)), { numRuns: 100 })
    fc.assert(fc.property(fc.constantFrom(...CommandResponse211.shape.result.options), (result) => {
      expectStable(commandResponse211, { result })
      expectStable(commandResult211, { result })
    }))
    fc.assert(fc.property(fc.record({ response_url: url, session_id: id(36) }), (value) => expectStable(stopSession211, value)))
    fc.assert(fc.property(fc.record({ response_url: url, location_id: id(36), evse_uid: id(36), connector_id: id(36) }), (value) => expectStable(unlockConnector211, value)))
    const canonicalReserve = fc.tuple(reserve, fc.string({ minLength: 1, maxLength: 36 }).filter((value) => /^[\x20-\x7E]+$/.test(value)), fc.constantFrom('APP_USER', 'EMAID', 'RFID'))
      .map(([value, reservation_id, type]) => ReserveNow.parse({ ...reserveNow211.toCanonical(value, owner), reservation_id, authorization_reference: 'R', token: { ...token211.toCanonical(value.token, owner), type } }))
    fc.assert(fc.property(canonicalReserve, (value) => {
      expect(ReserveNow211.safeParse(reserveNow211.fromCanonical(value)).error).toBeUndefined()
      expect(StartSession211.safeParse(startSession211.fromCanonical({ ...value, connector_id: '1', evse_uid: 'E' })).error).toBeUndefined()
    }), { numRuns: 100 })
  })
})
