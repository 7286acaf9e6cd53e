export declare const DEMO_TOKENS: [Record<string, unknown>, Record<string, unknown>][]
export declare function seedTokens(admin: (method: string, path: string, body?: unknown) => Promise<unknown>): Promise<void>
