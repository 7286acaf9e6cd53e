import { z } from 'zod'
import { DateTime, URL } from '../../types'
import type { Owner, VersionAdapter } from '../../version-adapters'
import type { CommandResponse, CommandResult, CommandResultType, ReserveNow, StartSession, StopSession, UnlockConnector } from '../command'
import { defined, type Loss, NO_OWNER, String211 } from './shared'
import { Token211, tokenFrom211, tokenTo211 } from './token'

// Commands module of OCPI 2.1.1 (mod_commands.md, "Object description" and "Data types"), and the adapters between it
// and the canonical (2.3.0) command objects. 2.1.1 has four commands (no CANCEL_RESERVATION) and no CommandResult:
// the Charge Point's result is a CommandResponse too, POSTed to the response_url (mod_commands 2.2.1). So the
// synchronous answer and the asynchronous result share one 2.1.1 shape, CommandResponse211, read by two adapters:
// `commandResponse211` (canonical CommandResponse) and `commandResult211` (canonical CommandResult).

export const CommandType211 = z.enum(['RESERVE_NOW', 'START_SESSION', 'STOP_SESSION', 'UNLOCK_CONNECTOR'])
export type CommandType211 = z.infer<typeof CommandType211>
export const CommandResponseType211 = z.enum(['NOT_SUPPORTED', 'REJECTED', 'ACCEPTED', 'TIMEOUT', 'UNKNOWN_SESSION'])
export type CommandResponseType211 = z.infer<typeof CommandResponseType211>

export const CommandResponse211 = z.object({ result: CommandResponseType211 })
export type CommandResponse211 = z.infer<typeof CommandResponse211>

// The same rule as the canonical command objects: a response_url we would call must be an http(s) URL.
const responseUrl = { response_url: URL.pipe(z.url({ protocol: /^https?$/ })) }

export const ReserveNow211 = z.object({
  ...responseUrl,
  token: Token211,
  expiry_date: DateTime,
  reservation_id: z.number().int(),
  location_id: String211(39),
  evse_uid: String211(39).optional(),
})
export type ReserveNow211 = z.infer<typeof ReserveNow211>

export const StartSession211 = z.object({ ...responseUrl, token: Token211, location_id: String211(39), evse_uid: String211(39).optional() })
export type StartSession211 = z.infer<typeof StartSession211>

export const StopSession211 = z.object({ ...responseUrl, session_id: String211(36) })
export type StopSession211 = z.infer<typeof StopSession211>

export const UnlockConnector211 = z.object({ ...responseUrl, location_id: String211(39), evse_uid: String211(39), connector_id: String211(36) })
export type UnlockConnector211 = z.infer<typeof UnlockConnector211>

// ---- CommandResponse (the CPO's answer to the POST) ----

/**
 * 2.1.1 gives no timeout for the asynchronous result; the canonical CommandResponse requires one. The eMSP waits this
 * long (seconds) for a 2.1.1 Charge Point's answer before taking the command as timed out.
 */
export const COMMAND_TIMEOUT_211 = 300

// "TIMEOUT: no response received from the Charge Point in an reasonable time": as the CPO's own answer, the command
// was not carried out, which 2.2 says with REJECTED.
export const commandResponseFrom211 = ({ result }: CommandResponse211): CommandResponse => ({ result: result === 'TIMEOUT' ? 'REJECTED' : result, timeout: COMMAND_TIMEOUT_211 })
export const commandResponseTo211 = ({ result }: CommandResponse): CommandResponse211 => ({ result })

// ---- CommandResult (the Charge Point's result, at the response_url) ----

const resultTo211: Record<CommandResultType, CommandResponseType211> = {
  ACCEPTED: 'ACCEPTED',
  // The result of a CANCEL_RESERVATION, which 2.1.1 does not have: never sent to a 2.1.1 peer in practice.
  CANCELED_RESERVATION: 'ACCEPTED',
  EVSE_OCCUPIED: 'REJECTED',
  EVSE_INOPERATIVE: 'REJECTED',
  FAILED: 'REJECTED',
  NOT_SUPPORTED: 'NOT_SUPPORTED',
  REJECTED: 'REJECTED',
  TIMEOUT: 'TIMEOUT',
  UNKNOWN_RESERVATION: 'REJECTED',
}

// UNKNOWN_SESSION as a Charge Point's result: the command could not be carried out for that session.
export const commandResultFrom211 = ({ result }: CommandResponse211): CommandResult => ({ result: result === 'UNKNOWN_SESSION' ? 'REJECTED' : result })
export const commandResultTo211 = ({ result }: CommandResult): CommandResponse211 => ({ result: resultTo211[result] })

// ---- requests ----

/**
 * ReserveNow.reservation_id is an int in 2.1.1 and a CiString(36) since 2.2. A canonical id that is the text of an
 * integer (as a 2.1.1 id is read) is sent as that integer; any other is sent as a 31-bit FNV-1a hash of its text, so
 * the same reservation always gets the same number.
 */
export function reservationIdTo211(reservationId: string): number {
  if (/^-?(0|[1-9]\d*)$/.test(reservationId) && Number.isSafeInteger(Number(reservationId))) return Number(reservationId)
  let hash = 0x811c9dc5
  for (const character of reservationId) {
    hash ^= character.codePointAt(0)!
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash & 0x7fffffff
}

export function reserveNowFrom211({ token, reservation_id, ...reserve }: ReserveNow211, owner: Owner = NO_OWNER): ReserveNow {
  return { ...reserve, token: tokenFrom211(token, owner), reservation_id: String(reservation_id) }
}
export function reserveNowTo211({ token, reservation_id, authorization_reference: _reference, ...reserve }: ReserveNow): ReserveNow211 {
  return defined({ ...reserve, token: tokenTo211(token), reservation_id: reservationIdTo211(reservation_id) })
}

// The token of a command is the eMSP's: the connection's party (the owner).
export const startSessionFrom211 = ({ token, ...start }: StartSession211, owner: Owner = NO_OWNER): StartSession => ({ ...start, token: tokenFrom211(token, owner) })
export function startSessionTo211({ token, connector_id: _connector, authorization_reference: _reference, ...start }: StartSession): StartSession211 {
  return defined({ ...start, token: tokenTo211(token) })
}

// ---- adapters ----

export const commandResponse211: VersionAdapter<CommandResponse, CommandResponse211> = { schema: CommandResponse211, toCanonical: commandResponseFrom211, fromCanonical: commandResponseTo211 }
export const commandResult211: VersionAdapter<CommandResult, CommandResponse211> = { schema: CommandResponse211, toCanonical: commandResultFrom211, fromCanonical: commandResultTo211 }
export const reserveNow211: VersionAdapter<ReserveNow, ReserveNow211> = { schema: ReserveNow211, toCanonical: reserveNowFrom211, fromCanonical: reserveNowTo211 }
export const startSession211: VersionAdapter<StartSession, StartSession211> = { schema: StartSession211, toCanonical: startSessionFrom211, fromCanonical: startSessionTo211 }
export const stopSession211: VersionAdapter<StopSession, StopSession211> = { schema: StopSession211, toCanonical: (stop) => stop, fromCanonical: (stop) => stop }
export const unlockConnector211: VersionAdapter<UnlockConnector, UnlockConnector211> = { schema: UnlockConnector211, toCanonical: (unlock) => unlock, fromCanonical: (unlock) => unlock }

// ---- what is lost ----

const COMMANDS = 'mod_commands.md'
export const command211Losses: readonly Loss[] = [
  { object: 'CommandType', field: 'CANCEL_RESERVATION', direction: 'both', what: 'no 2.1.1 command: a 2.1.1 reservation can be replaced (RESERVE_NOW with the same reservation_id) but not cancelled', why: 'added in 2.2', spec: `${COMMANDS} 4.2` },
  { object: 'CommandResponse', field: 'timeout', direction: 'both', what: `not sent; read as ${COMMAND_TIMEOUT_211} seconds`, why: 'added in 2.2', spec: `${COMMANDS} 3.1` },
  { object: 'CommandResponse', field: 'message', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.2', spec: `${COMMANDS} 3.1` },
  { object: 'CommandResponse', field: 'result', direction: 'from 2.1.1', what: 'TIMEOUT becomes REJECTED', why: 'the 2.2 CommandResponseType has no TIMEOUT: a timeout is a CommandResult', spec: `${COMMANDS} 4.1` },
  { object: 'CommandResult', field: 'result', direction: 'both', what: 'the result is a 2.1.1 CommandResponse: UNKNOWN_SESSION is read as REJECTED; EVSE_OCCUPIED, EVSE_INOPERATIVE, FAILED and UNKNOWN_RESERVATION are sent as REJECTED, CANCELED_RESERVATION as ACCEPTED', why: '2.1.1 has no CommandResult object: the Charge Point\'s result is POSTed as a CommandResponse', spec: `${COMMANDS} 2.2.1, 4.1` },
  { object: 'CommandResult', field: 'message', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.2', spec: `${COMMANDS} 3.1` },
  { object: 'ReserveNow', field: 'reservation_id', direction: 'both', what: 'an int in 2.1.1: read as its decimal text; sent as the integer a canonical id spells (without leading zeros), else as a 31-bit FNV-1a hash of the id', why: 'int in 2.1.1, CiString(36) since 2.2', spec: `${COMMANDS} 3.2` },
  { object: 'ReserveNow', field: 'authorization_reference', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.2', spec: `${COMMANDS} 3.2` },
  { object: 'ReserveNow', field: 'token', direction: 'both', what: 'as the Token losses; its party is the connection\'s', why: 'see Token', spec: 'mod_tokens.md 3.2' },
  { object: 'StartSession', field: 'connector_id', direction: 'to 2.1.1', what: 'dropped: the Charge Point picks the connector', why: 'added in 2.2', spec: `${COMMANDS} 3.3` },
  { object: 'StartSession', field: 'authorization_reference', direction: 'to 2.1.1', what: 'dropped', why: 'added in 2.2', spec: `${COMMANDS} 3.3` },
  { object: 'StartSession', field: 'token', direction: 'both', what: 'as the Token losses; its party is the connection\'s', why: 'see Token', spec: 'mod_tokens.md 3.2' },
  { object: 'StartSession', field: 'location_id', direction: 'from 2.1.1', what: 'kept as is; 37 to 39 characters is longer than 2.2.1 and 2.3.0 allow (also evse_uid, and in ReserveNow and UnlockConnector)', why: 'string(39) in 2.1.1, CiString(36) since 2.2', spec: `${COMMANDS} 3.3` },
]
