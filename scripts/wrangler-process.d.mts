export function runWrangler(args: string[], options?: { stdio?: unknown }): Promise<string>
export function waitUntilServing(url: string, timeoutMs: number): Promise<void>
