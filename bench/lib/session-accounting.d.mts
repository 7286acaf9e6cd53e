/** The CPO's own state of one session after the window: its period count, the time of each reading (1..periods). */
export interface CpoSession { id: string; periods: number; readings: number[]; kwh: number; last_updated: number }
/** One session push as the eMSP peer received it. */
export interface ReceivedPush { id: string; periods?: number; last_updated: number; kwh: number; receivedAt: number }
export interface UpdateAccounting {
  produced: number
  received: number
  superseded: number
  duplicates: number
  outOfOrder: number
  lost: number
  latencies: number[]
}
export function updateAccounting(input: { sessions: Map<string, CpoSession>; pushes: ReceivedPush[]; from: number; to: number }): UpdateAccounting
