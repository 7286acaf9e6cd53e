export function scheduleOffsets(rate: number, durationS: number): number[]
export interface OpenLoopResult { scheduled: number; latencies: number[]; errors: number; max_send_lag_ms: number }
export function runOpenLoop(options: {
  rate: number
  durationS: number
  send: (index: number) => unknown
  clock?: () => number
  sleep?: (ms: number) => Promise<void>
}): Promise<OpenLoopResult>
export function summarizeOpenLoop(result: OpenLoopResult, options: { rate: number; durationS: number }): {
  open_loop_rate: number
  duration_s: number
  p50_ms: number | undefined
  p90_ms: number | undefined
  p99_ms: number | undefined
  max_ms: number | undefined
  samples: number
  scheduled: number
  errors: number
  max_send_lag_ms: number
}
