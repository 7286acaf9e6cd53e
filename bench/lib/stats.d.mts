export function percentile(values: number[], p: number): number | undefined
export function round(value: number, digits?: number): number
export interface MeasuredRow { requests_per_second?: number; workerd_cpu_ms_per_request?: number }
export interface Target {
  name: string
  kind: string
  target: string
  value: number | undefined
  pass: boolean | undefined
  cpu_ratio?: number
  workerd_cpu_ms_per_request?: number
  floor_workerd_cpu_ms_per_request?: number
  [extra: string]: unknown
}
export function ratioTarget(options: { name: string; row: MeasuredRow | undefined; floor: MeasuredRow | undefined; min: number }): Target
export function latencyTarget(options: { name: string; value_ms: number | undefined; max_ms: number; [extra: string]: unknown }): Target
export function formatTarget(target: Target): string
