// The bench's arithmetic, kept pure so a node test checks it: percentiles, rounding, and the targets (a measured value
// against a bound, or a ratio against the runtime floor of the same run).

/** p-th percentile (0..100) of a list of numbers, nearest rank; undefined for an empty list. */
export function percentile(values, p) {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

export const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits

/**
 * A throughput target as a ratio to the floor (`GET /`) of the same runtime in the same run: `row` req/s divided by
 * `floor` req/s must be at least `min`. The same ratio from CPU time per request (floor CPU / row CPU) is given beside
 * it: on a shared machine it moves less with the load of other work.
 */
export function ratioTarget({ name, row, floor, min }) {
  const ratio = row?.requests_per_second && floor?.requests_per_second ? round(row.requests_per_second / floor.requests_per_second, 3) : undefined
  const cpuRatio = row?.workerd_cpu_ms_per_request && floor?.workerd_cpu_ms_per_request ? round(floor.workerd_cpu_ms_per_request / row.workerd_cpu_ms_per_request, 3) : undefined
  return {
    name,
    kind: 'ratio to floor req/s',
    target: `>= ${min}`,
    bound: min,
    value: ratio,
    pass: ratio === undefined ? undefined : ratio >= min,
    requests_per_second: row?.requests_per_second,
    floor_requests_per_second: floor?.requests_per_second,
    workerd_cpu_ms_per_request: row?.workerd_cpu_ms_per_request,
    floor_workerd_cpu_ms_per_request: floor?.workerd_cpu_ms_per_request,
    cpu_ratio: cpuRatio,
  }
}

/** A latency target: `value_ms` (a p99, say) must be at most `max_ms`. */
export function latencyTarget({ name, value_ms, max_ms, ...extra }) {
  return { name, kind: 'p99 latency, open loop', target: `<= ${max_ms} ms`, bound: max_ms, value: value_ms, pass: value_ms === undefined ? undefined : value_ms <= max_ms, ...extra }
}

/** One line per target: PASS, MISS, or n/a when it could not be measured. */
export function formatTarget(target) {
  const verdict = target.pass === undefined ? 'n/a ' : target.pass ? 'PASS' : 'MISS'
  const value = target.value === undefined ? 'not measured' : target.kind.startsWith('ratio') ? `${target.value}x` : `${target.value} ms`
  const cpu = target.workerd_cpu_ms_per_request === undefined ? '' : `, workerd CPU ${target.workerd_cpu_ms_per_request} ms/req (floor ${target.floor_workerd_cpu_ms_per_request})`
  const floorTail = target.floor_p99_ms === undefined ? '' : `, the runtime floor's own p99 at that rate ${target.floor_p99_ms} ms`
  return `${verdict}  ${target.name}: ${value} (target ${target.target})${cpu}${floorTail}${runtimeBest(target)}`
}

function runtimeBest(target) {
  if (target.runtime_best === undefined) return ''
  const value = target.kind.startsWith('ratio') ? `${target.runtime_best}x` : `${target.runtime_best} ms`
  return `; a bare Worker doing only the unavoidable part, same run: ${value}${target.runtime_best_pass ? '' : ' (misses it too)'}`
}

/**
 * A target with what a bare Worker doing only the unavoidable part of the request reached in the same run
 * (bench/lib/runtime-probe.mjs), judged by the same bound. Where a ratio misses, no Worker meets that target on this
 * runtime and machine. A p99 is one window's: whether a major garbage collection of the isolate fell in it decides most
 * of it (bench/README.md), so one window says less. `value` is a ratio for a ratio target and a p99 in ms for a latency
 * target; `by` names the probe's row.
 */
export function withRuntimeBest(target, { value, by } = {}) {
  if (value === undefined) return target
  const pass = target.kind.startsWith('ratio') ? value >= target.bound : value <= target.bound
  return { ...target, runtime_best: value, runtime_best_by: by, runtime_best_pass: pass }
}
