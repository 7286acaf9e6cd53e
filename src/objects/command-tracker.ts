import { DurableObject } from 'cloudflare:workers'
import { databaseFor } from '../db/shards'
import type { Env } from '../env'
import type { CommandResponse, CommandResult, ReserveNow } from '../ocpi/objects/command'
import { carryOut, releaseReservation } from '../modules/commands/charge-point'
import { deliverResult, resultDeliveryDelay } from '../modules/commands/result-delivery'
import { putCommandSummary } from '../modules/commands/store'
import { summaryOf, type CommandView, type HistoryEntry, type HistoryEvent, type ResultOutcome, type TrackedCommand } from '../modules/commands/tracked'
import { resultMarginMs } from '../modules/commands/timeouts'

/**
 * One instance per command (named by the command id): its state and history, and one alarm for whatever is due next:
 * handing a received command to the charge point, posting its result to the eMSP's response_url (retried), the TIMEOUT
 * when no result came in time (mod_commands, CommandResponse: "When the Result is not received within this timeout,
 * the eMSP can assume that the message might never be send"), and the end of a reservation.
 */
export class CommandTracker extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS command (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL)')
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS history (seq INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL)')
  }

  /** Starts tracking; false when this id is already taken. */
  async open(command: TrackedCommand, event: HistoryEvent, detail?: Record<string, unknown>, dispatchAt = Date.now()): Promise<boolean> {
    if (this.#command()) return false
    await this.#save(command, event, detail)
    if (command.side === 'received') await this.ctx.storage.setAlarm(dispatchAt)
    return true
  }

  view(): CommandView | null {
    const command = this.#command()
    if (!command) return null
    const history = this.ctx.storage.sql.exec<{ entry: string }>('SELECT entry FROM history ORDER BY seq').toArray().map((row) => JSON.parse(row.entry) as HistoryEntry)
    return { command, history }
  }

  /** Sent side: the CPO's synchronous answer. An ACCEPTED one starts the wait for the result. */
  async recordResponse(response: CommandResponse): Promise<TrackedCommand | null> {
    const command = this.#command()
    if (!command) return null
    const next: TrackedCommand = { ...command, response }
    if (!command.final) {
      next.state = response.result === 'ACCEPTED' ? 'ACCEPTED' : response.result
      next.final = response.result !== 'ACCEPTED'
      if (!next.final) next.deadline = Date.now() + response.timeout * 1000 + resultMarginMs(this.env)
    }
    await this.#save(next, 'response', { response })
    await this.#schedule(next)
    return next
  }

  /** Sent side: the request never got an OCPI answer we could use. */
  async recordSendFailure(reason: string): Promise<TrackedCommand | null> {
    const command = this.#command()
    if (!command) return null
    const next = command.final ? command : { ...command, state: 'FAILED', final: true }
    await this.#save(next, 'send_failed', { reason })
    return next
  }

  /**
   * Sent side: a CommandResult posted at our response_url. Only the peer we sent the command to, for that command, may
   * post it; the first final result wins, and a repeated or late one is only written to the history.
   */
  async receiveResult(peerId: string, commandType: string, result: CommandResult): Promise<ResultOutcome> {
    const command = this.#command()
    if (!command || command.side !== 'sent') return 'unknown'
    if (command.peer_id !== peerId || command.command !== commandType) {
      await this.#save(command, 'foreign_result', { peer_id: peerId, command: commandType, result })
      return 'unknown'
    }
    if (command.final) {
      const late = command.state === 'TIMEOUT'
      await this.#save(command, late ? 'late_result' : 'duplicate_result', { result })
      return late ? 'late' : 'duplicate'
    }
    await this.#save({ ...command, result, state: result.result, final: true }, 'result', { result })
    await this.ctx.storage.deleteAlarm()
    return 'recorded'
  }

  /** Received side: what the charge point (simulator or CSMS) answered; it goes to the eMSP's response_url. */
  async chargePointResult(result: CommandResult, detail: Record<string, unknown> = {}): Promise<'recorded' | 'ignored' | 'unknown'> {
    const command = this.#command()
    if (!command || command.side !== 'received') return 'unknown'
    if (command.final) {
      await this.#save(command, command.state === 'TIMEOUT' ? 'late_result' : 'duplicate_result', { result, ...detail })
      return 'ignored'
    }
    const next = this.#withResult(command, result)
    await this.#save(next, 'result', { result, ...detail })
    await this.#schedule(next, Date.now())
    return 'recorded'
  }

  override async alarm(): Promise<void> {
    let command = this.#command()
    if (!command) return
    const now = Date.now()
    if (command.side === 'received' && !command.dispatched) {
      command = { ...command, dispatched: true }
      await this.#save(command, 'dispatched')
      const outcome = await carryOut(this.env, command).catch((error: unknown) => ({ result: { result: 'FAILED' as const }, detail: { error: String(error) } }))
      if (outcome && !command.final) {
        command = this.#withResult(command, outcome.result)
        await this.#save(command, 'result', { result: outcome.result, ...outcome.detail })
      }
    }
    if (!command.final && command.deadline !== undefined && now >= command.deadline) {
      command = command.side === 'received' ? this.#withResult(command, { result: 'TIMEOUT' }) : { ...command, state: 'TIMEOUT', final: true }
      await this.#save(command, 'timeout')
    }
    if (command.side === 'received' && command.final && command.result && !command.delivered) command = await this.#deliver(command)
    if (command.release_at !== undefined && now >= command.release_at) {
      const released = await releaseReservation(this.env, command)
      command = { ...command, release_at: undefined }
      await this.#save(command, 'reservation_released', { released })
    }
    await this.#schedule(command)
  }

  #withResult(command: TrackedCommand, result: CommandResult): TrackedCommand {
    const reservation = command.command === 'RESERVE_NOW' && result.result === 'ACCEPTED' && 'expiry_date' in command.request
    return { ...command, result, state: result.result, final: true, release_at: reservation ? Date.parse((command.request as ReserveNow).expiry_date) : command.release_at }
  }

  async #deliver(command: TrackedCommand): Promise<TrackedCommand> {
    const attempts = (command.delivery_attempts ?? 0) + 1
    const failure = await deliverResult(this.env, command)
    const next = { ...command, delivered: failure === undefined || resultDeliveryDelay(attempts) === undefined, delivery_attempts: attempts }
    await this.#save(next, failure === undefined ? 'result_delivered' : 'result_delivery_failed', failure === undefined ? { attempts } : { attempts, reason: failure })
    return next
  }

  /** The next due moment: dispatch, delivery retry, timeout or reservation end. */
  async #schedule(command: TrackedCommand, at?: number): Promise<void> {
    const due = [at]
    if (!command.final && command.deadline !== undefined) due.push(command.deadline)
    if (command.side === 'received' && command.final && command.result && !command.delivered) {
      due.push(Date.now() + (resultDeliveryDelay(command.delivery_attempts ?? 0) ?? 0))
    }
    if (command.release_at !== undefined) due.push(command.release_at)
    const next = Math.min(...due.filter((time): time is number => time !== undefined))
    if (Number.isFinite(next)) await this.ctx.storage.setAlarm(next)
    else await this.ctx.storage.deleteAlarm()
  }

  #command(): TrackedCommand | undefined {
    const row = this.ctx.storage.sql.exec<{ body: string }>('SELECT body FROM command WHERE id = 1').toArray()[0]
    return row && (JSON.parse(row.body) as TrackedCommand)
  }

  async #save(command: TrackedCommand, event: HistoryEvent, detail?: Record<string, unknown>): Promise<void> {
    const updated = { ...command, last_updated: Date.now() }
    this.ctx.storage.sql.exec('INSERT INTO command (id, body) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body', JSON.stringify(updated))
    const entry: HistoryEntry = { at: new Date().toISOString(), event, ...(detail && { detail }) }
    this.ctx.storage.sql.exec('INSERT INTO history (entry) VALUES (?)', JSON.stringify(entry))
    await putCommandSummary(databaseFor(this.env), summaryOf(updated))
  }
}
