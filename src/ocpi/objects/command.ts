import { z } from 'zod'
import { CiString, DateTime, DisplayText, openEnum, URL } from '../types'
import type { VersionAdapters } from '../version-adapters'
import { Token, Token221 } from './token'

// mod_commands.asciidoc, "Object description" and "Data types". 2.2.1 and 2.3.0 differ only in the Token they carry
// (2.3.0 made TokenType an OpenEnum) and in CommandType, which 2.3.0 made an OpenEnum.

export const COMMAND_TYPES = ['CANCEL_RESERVATION', 'RESERVE_NOW', 'START_SESSION', 'STOP_SESSION', 'UNLOCK_CONNECTOR'] as const
export const CommandType = z.enum(COMMAND_TYPES)
export type CommandType = z.infer<typeof CommandType>
/** A CommandType as 2.3.0 accepts it on the wire: a value we do not carry out is answered NOT_SUPPORTED, not 2001. */
export const OpenCommandType = openEnum(COMMAND_TYPES)

export const CommandResponseType = z.enum(['NOT_SUPPORTED', 'REJECTED', 'ACCEPTED', 'UNKNOWN_SESSION'])
export type CommandResponseType = z.infer<typeof CommandResponseType>

export const CommandResultType = z.enum([
  'ACCEPTED', 'CANCELED_RESERVATION', 'EVSE_OCCUPIED', 'EVSE_INOPERATIVE', 'FAILED', 'NOT_SUPPORTED', 'REJECTED', 'TIMEOUT', 'UNKNOWN_RESERVATION',
])
export type CommandResultType = z.infer<typeof CommandResultType>

export const CommandResponse = z.object({ result: CommandResponseType, timeout: z.number().int().min(0), message: z.array(DisplayText).optional() })
export type CommandResponse = z.infer<typeof CommandResponse>

export const CommandResult = z.object({ result: CommandResultType, message: z.array(DisplayText).optional() })
export type CommandResult = z.infer<typeof CommandResult>

const responseUrl = { response_url: URL.pipe(z.url({ protocol: /^https?$/ })) }

export const CancelReservation = z.object({ ...responseUrl, reservation_id: CiString(36) })
export type CancelReservation = z.infer<typeof CancelReservation>

const reserveNowFields = {
  ...responseUrl,
  token: Token,
  expiry_date: DateTime,
  reservation_id: CiString(36),
  location_id: CiString(36),
  evse_uid: CiString(36).optional(),
  authorization_reference: CiString(36).optional(),
}
export const ReserveNow = z.object(reserveNowFields)
export type ReserveNow = z.infer<typeof ReserveNow>
export const ReserveNow221 = z.object({ ...reserveNowFields, token: Token221 })

const startSessionFields = {
  ...responseUrl,
  token: Token,
  location_id: CiString(36),
  evse_uid: CiString(36).optional(),
  connector_id: CiString(36).optional(),
  authorization_reference: CiString(36).optional(),
}
// StartSession, connector_id: "Required when `connector_id` is set" is said of evse_uid.
const connectorNeedsEvse = (start: { evse_uid?: string; connector_id?: string }, context: z.RefinementCtx) => {
  if (start.connector_id !== undefined && start.evse_uid === undefined) {
    context.addIssue({ code: 'custom', path: ['evse_uid'], message: 'Required when connector_id is set' })
  }
}
export const StartSession = z.object(startSessionFields).superRefine(connectorNeedsEvse)
export type StartSession = z.infer<typeof StartSession>
export const StartSession221 = z.object({ ...startSessionFields, token: Token221 }).superRefine(connectorNeedsEvse)

export const StopSession = z.object({ ...responseUrl, session_id: CiString(36) })
export type StopSession = z.infer<typeof StopSession>

export const UnlockConnector = z.object({ ...responseUrl, location_id: CiString(36), evse_uid: CiString(36), connector_id: CiString(36) })
export type UnlockConnector = z.infer<typeof UnlockConnector>

/** The request body of each command, canonical. */
export interface CommandBodies {
  CANCEL_RESERVATION: CancelReservation
  RESERVE_NOW: ReserveNow
  START_SESSION: StartSession
  STOP_SESSION: StopSession
  UNLOCK_CONNECTOR: UnlockConnector
}
export type CommandBody = CommandBodies[CommandType]

const same = <T>(schema: z.ZodType<T>) => ({ schema, toCanonical: (body: T) => body, fromCanonical: (body: T) => body })
// 2.2.1 has no EMAID and a closed TokenType: the eMSP's own token goes out as it is, and the 2.2.1 schema refuses it
// before it is sent when its type does not exist there.
const withToken221 = <T extends { token: Token }>(schema: z.ZodType<T>) => ({ schema, toCanonical: (body: T) => body, fromCanonical: (body: T) => body })

export const commandVersionsFrom221: { [command in CommandType]: VersionAdapters<CommandBodies[command]> } = {
  CANCEL_RESERVATION: { '2.3.0': same(CancelReservation), '2.2.1': same(CancelReservation) },
  RESERVE_NOW: { '2.3.0': same(ReserveNow), '2.2.1': withToken221(ReserveNow221 as z.ZodType<ReserveNow>) },
  START_SESSION: { '2.3.0': same(StartSession), '2.2.1': withToken221(StartSession221 as z.ZodType<StartSession>) },
  STOP_SESSION: { '2.3.0': same(StopSession), '2.2.1': same(StopSession) },
  UNLOCK_CONNECTOR: { '2.3.0': same(UnlockConnector), '2.2.1': same(UnlockConnector) },
}


/** The command objects a management request sends: the response_url is ours to generate. */
export const commandRequestSchemas = {
  CANCEL_RESERVATION: CancelReservation.omit({ response_url: true }),
  RESERVE_NOW: ReserveNow.omit({ response_url: true }),
  START_SESSION: z.object(startSessionFields).omit({ response_url: true }).superRefine(connectorNeedsEvse),
  STOP_SESSION: StopSession.omit({ response_url: true }),
  UNLOCK_CONNECTOR: UnlockConnector.omit({ response_url: true }),
} as const

// CommandResponse and CommandResult are the same in 2.2.1 and 2.3.0; with 2.1.1 in src/ocpi/objects/version-maps.ts.
export const commandResponseVersionsFrom221: VersionAdapters<CommandResponse> = { '2.3.0': same(CommandResponse), '2.2.1': same(CommandResponse) }
export const commandResultVersionsFrom221: VersionAdapters<CommandResult> = { '2.3.0': same(CommandResult), '2.2.1': same(CommandResult) }
