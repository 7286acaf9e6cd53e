export type SeedAdmin = (method: string, path: string, body?: unknown) => Promise<unknown>
export function seedTariffs(admin: SeedAdmin): Promise<void>
