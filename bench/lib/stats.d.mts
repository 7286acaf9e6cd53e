export function percentile(values: number[], p: number): number | undefined
export function round(value: number, digits?: number): number
export interface MeasuredRow { requests_per_second?: number; workerd_cpu_ms_per_request?: number }
export interface Target {
  name: string
  kind: string
  target: string
  /** The bound in `target`, as a number: a ratio's minimum, a latency's maximum in ms. */
  bound: number
  value: number | undefined
  pass: boolean | undefined
  cpu_ratio?: number
  workerd_cpu_ms_per_request?: number
  floor_workerd_cpu_ms_per_request?: number
  runtime_best?: number
  runtime_best_by?: string
  runtime_best_pass?: boolean
  [extra: string]: unknown
}
export function ratioTarget(options: { name: string; row: MeasuredRow | undefined; floor: MeasuredRow | undefined; min: number }): Target
export function latencyTarget(options: { name: string; value_ms: number | undefined; max_ms: number; [extra: string]: unknown }): Target
export function formatTarget(target: Target): string
export function withRuntimeBest(target: Target, best?: { value?: number; by?: string }): Target
