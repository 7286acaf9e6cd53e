export function httpSender(baseUrl: string, requestOf: (index: number) => { method?: string; path: string; headers?: Record<string, string>; body?: string }, options?: { sockets?: number }): { send(index: number): Promise<number>; close(): void }
export type ParseOutcome = { status: number; close: boolean } | { error: Error } | undefined
export class ResponseParser {
  reset(): void
  feed(buffer: Buffer, start: number, end: number): ParseOutcome
}
