export interface Region { id: string; name: string; replica: string }
export const REGIONS: Region[]
export const RTT_MS: Record<string, number>
export const RTT_SOURCE: string
export const LOCAL_RTT_MS: number
export const DEFAULTS: { primary: string; client_edge_rtt_ms: number; default_cpu_ms: number; peer_processing_ms: number }
export type Costs = Record<string, { cold: { d1: number; do: number }; warm: { d1: number; do: number } }>
export function rtt(from: string, to: string, table?: Record<string, number>): number
export function requestLatency(options: { costs: Costs; path: string; region: Region; warm?: boolean; replicas?: boolean; writes?: number; doRegion?: string; cpuMs?: number; options?: typeof DEFAULTS }): { total_ms: number; d1_ms: number; do_ms: number; cpu_ms: number; d1: number; do: number }
export function pushLatency(options: { costs: Costs; region: Region; path?: string; warmConnection?: boolean; options?: typeof DEFAULTS }): { total_ms: number; write_ms: number; delivery_ms: number }
export function storageGrowth(options: { tables: { table: string; static_rows: number; rows_per_year: number; bytes_per_row: number }[]; years?: number; limitBytes?: number }): {
  tables: { table: string; static_rows: number; rows_per_year: number; bytes_per_row: number; bytes_per_year: number; bytes_first_year: number }[]
  static_bytes: number
  bytes_per_year: number
  by_year: { year: number; bytes: number }[]
  years_to_limit: number
  limit_bytes: number
}
