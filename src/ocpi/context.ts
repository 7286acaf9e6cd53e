import type { Env } from '../env'
import type { Database } from '../db/client'
import type { CredentialsRole, PeerStatus } from '../db/schema'
import type { OcpiVersion } from './versions'

export interface PartyRef { country_code: string; party_id: string }

/** The authenticated caller of an OCPI request. */
export interface PeerContext {
  id: string
  status: PeerStatus
  version: string | null
  roles: CredentialsRole[]
  /** Custom modules (x-...) agreed with the peer (src/peers/extensions.ts). */
  extensions: string[]
  /** 'A': registration token, valid for versions and credentials only. */
  tokenKind: 'A' | 'C'
}

export type OcpiEnv = {
  Bindings: Env
  Variables: {
    peer: PeerContext
    /** The credentials token this request authenticated with, in clear (the candidate that matched). */
    credentialsToken: string
    version: OcpiVersion
    db: Database
    requestId: string
    correlationId: string
  }
}

export const samePartyRef = (a: PartyRef, b: PartyRef) =>
  a.country_code.toUpperCase() === b.country_code.toUpperCase() && a.party_id.toUpperCase() === b.party_id.toUpperCase()
