import type { OcpiModule } from '../ocpi/module'

/** Every module served, in the order listed in version details. Credentials is mounted by src/ocpi/app.ts. */
export const modules: OcpiModule[] = []
