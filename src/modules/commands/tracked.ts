import type { PartyRef } from '../../ocpi/context'
import type { CommandBody, CommandResponse, CommandResult, CommandType } from '../../ocpi/objects/command'
import type { HelpdeskCommandBody, HelpdeskCommandType } from '../../ocpi/objects/helpdesk-command'
import type { OcpiVersion } from '../../ocpi/versions'
import type { CommandSummary } from './store'

/**
 * One command as its CommandTracker holds it. `sent`: we are the eMSP and sent it to a CPO peer; `received`: a hosted
 * CPO received it from an eMSP peer and carries it out through its charge points.
 */
export interface TrackedCommand {
  id: string
  side: 'sent' | 'received'
  peer_id: string
  version: OcpiVersion
  /** An OCPI command, or an x-helpdesk one (docs/extensions/x-helpdesk.md). */
  command: CommandType | HelpdeskCommandType
  /** Canonical (2.3.0) body, response_url included. */
  request: CommandBody | HelpdeskCommandBody
  /** Received side: the hosted CPO the command addressed. */
  cpo?: PartyRef
  /** PENDING until the CommandResponse; then the response type, ACCEPTED waiting for the result, or the result type. */
  state: string
  /** Once final, only the history changes: the first final result wins. */
  final: boolean
  response?: CommandResponse
  result?: CommandResult
  /** Epoch ms after which no result is waited for: TIMEOUT. */
  deadline?: number
  /** Received side: handed to the charge point; the result is on its way to response_url. */
  dispatched?: boolean
  delivered?: boolean
  delivery_attempts?: number
  /** Received side, RESERVE_NOW accepted: when the EVSE is released unless cancelled before. */
  release_at?: number
  created_at: number
  last_updated: number
}

export type HistoryEvent =
  | 'sent' | 'send_failed' | 'response' | 'result' | 'duplicate_result' | 'late_result' | 'foreign_result' | 'timeout'
  | 'dispatched' | 'result_delivered' | 'result_delivery_failed' | 'reservation_released'

export interface HistoryEntry { at: string; event: HistoryEvent; detail?: Record<string, unknown> }

export interface CommandView { command: TrackedCommand; history: HistoryEntry[] }

export const summaryOf = (command: TrackedCommand): CommandSummary => ({
  id: command.id, side: command.side, peer_id: command.peer_id, command: command.command, state: command.state,
  created_at: new Date(command.created_at).toISOString(), last_updated: new Date(command.last_updated).toISOString(),
})

/** What a result arriving at our response_url meant; a foreign or unknown one is refused (2003). */
export type ResultOutcome = 'recorded' | 'duplicate' | 'late' | 'unknown'
