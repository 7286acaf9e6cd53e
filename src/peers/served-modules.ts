import type { OcpiVersion } from '../ocpi/versions'

/** A module this platform serves, as registration needs it: its identifier and the versions it is served in. */
export interface ServedModule { id: string; versions?: readonly OcpiVersion[] }

let served: readonly ServedModule[] = []

/** Called once by the composition root (src/app/modules.ts) with the list it mounts. */
export function serveModules(modules: readonly ServedModule[]): void {
  served = modules
}

export const servedModules = (): readonly ServedModule[] => served
