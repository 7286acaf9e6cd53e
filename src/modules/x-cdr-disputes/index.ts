import { VERSIONS_FROM_221 } from '../../ocpi/versions'
import type { OcpiModule } from '../../ocpi/module'
import { admin } from './admin'
import { X_CDR_DISPUTES } from './module-id'
import { receiver } from './receiver'

/** x-cdr-disputes (docs/extensions/x-cdr-disputes.md): the MSP disputes a CDR, the CPO receives it. */
export const xCdrDisputes: OcpiModule = { id: X_CDR_DISPUTES, versions: VERSIONS_FROM_221, receiver, admin }
