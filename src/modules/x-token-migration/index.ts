import { VERSIONS_FROM_221 } from '../../ocpi/versions'
import type { OcpiModule } from '../../ocpi/module'
import { admin } from './admin'
import { receiver } from './receiver'
import { sender } from './sender'

/**
 * x-token-migration (docs/extensions/x-token-migration.md): an eMSP party and its tokens move from one platform to
 * another. SENDER: the platform the party leaves. RECEIVER: a CPO platform told of the move.
 */
export const xTokenMigration: OcpiModule = { id: 'x-token-migration', versions: VERSIONS_FROM_221, sender, receiver, admin }
