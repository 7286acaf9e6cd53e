import type { OcpiModule } from '../../ocpi/module'
import { tokensAdmin } from './admin'
import { receiver } from './receiver'
import { sender } from './sender'

/** Tokens (mod_tokens): eMSP sender (list, real-time authorize), CPO receiver (token cache), management routes. */
export const tokens: OcpiModule = { id: 'tokens', sender, receiver, admin: tokensAdmin }
