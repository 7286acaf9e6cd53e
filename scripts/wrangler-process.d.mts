import type { ChildProcess } from 'node:child_process'

export function runWrangler(args: string[], options?: { stdio?: unknown }): Promise<string>
export function waitUntilServing(url: string, timeoutMs: number): Promise<void>
export function applyLocalMigrations(persistTo: string): Promise<string>
export interface RunningPlatform { url: string; child: ChildProcess; stop(): Promise<void>; output(): string }
export function startPlatform(options: {
  port: number
  inspectorPort: number
  persistTo: string
  adminToken: string
  vars?: Record<string, string>
  timeoutMs?: number
  /** A prebuilt Worker (buildWorker): served without bundling or watching the sources. */
  script?: string
  /** Appended to the message when a port is taken, e.g. how to choose other ports. */
  portHint?: string
}): Promise<RunningPlatform>
export function isPortFree(port: number): Promise<boolean>
export function assertPortsFree(ports: Record<string, number>, options: { label: string; hint?: string; graceMs?: number }): Promise<void>
export function buildWorker(outdir: string): Promise<string>
export function offlineEnv(): NodeJS.ProcessEnv
export function superviseUntilServing(child: ChildProcess, url: string, timeoutMs: number, label: string, options?: { forceKill?: boolean }): Promise<RunningPlatform>
