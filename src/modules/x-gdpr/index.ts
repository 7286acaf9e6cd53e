import { VERSIONS_FROM_221 } from '../../ocpi/versions'
import type { OcpiModule } from '../../ocpi/module'
import { registerQueuedPushRewrite } from '../../push/hooks'
import type { PushChange } from '../../push/types'
import { admin } from './admin'
import { PSEUDONYMIZE_QUEUED } from './holders'
import { replaceIdentifierValues } from './replace-values'
import { receiver } from './receiver'

/** x-gdpr (docs/extensions/x-gdpr.md): right of access and right to be forgotten for tokens, eMSP to CPO. */
export const xGdpr: OcpiModule = { id: 'x-gdpr', versions: VERSIONS_FROM_221, receiver, admin }

// Undelivered pushes carry whole sessions and CDRs: a forgotten token's identifiers become its pseudonym there too.
registerQueuedPushRewrite(PSEUDONYMIZE_QUEUED, (change, args) => {
  const { identifiers, pseudonym } = args as { identifiers: string[]; pseudonym: string }
  const { value, replaced } = replaceIdentifierValues<PushChange>(change, identifiers, pseudonym)
  return replaced > 0 ? value : undefined
})
