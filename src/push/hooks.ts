import type { PushChange } from './types'

// What extensions plug into the generic outbox (DESIGN "Rules the layout follows": src/push/ is generic, extensions
// register hooks and are never imported here). An extension registers from its module index, which the composition
// root imports, so the hooks are in place in every isolate that runs a PeerOutbox.

/** Rewrites one undelivered push; undefined leaves it unchanged. `args` is what the caller passed over RPC. */
export type QueuedPushRewrite = (change: PushChange, args: unknown) => PushChange | undefined

const rewrites = new Map<string, QueuedPushRewrite>()

export function registerQueuedPushRewrite(name: string, rewrite: QueuedPushRewrite): void {
  rewrites.set(name, rewrite)
}

export function queuedPushRewrite(name: string): QueuedPushRewrite {
  const rewrite = rewrites.get(name)
  if (!rewrite) throw new Error(`No queued-push rewrite registered as ${name}`)
  return rewrite
}
