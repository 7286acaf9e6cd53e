/** The runtime probe Worker as ES module source text (bench/lib/runtime-probe.mjs). */
export const RUNTIME_PROBE_SOURCE: string
