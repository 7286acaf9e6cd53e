import type { OcpiModule } from '../../ocpi/module'
import { admin } from './admin'
import { receiver } from './receiver'

/** x-gdpr (docs/extensions/x-gdpr.md): right of access and right to be forgotten for tokens, eMSP to CPO. */
export const xGdpr: OcpiModule = { id: 'x-gdpr', receiver, admin }
