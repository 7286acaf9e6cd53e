import type { Env } from '../env'
import type { CredentialsRole } from './objects/credentials'
import type { OcpiVersion } from './versions'

/** Our record of a peer's registration (not an OCPI enum: the management API's `status`). */
export type PeerStatus = 'PENDING' | 'CONNECTED' | 'OFFLINE' | 'SUSPENDED'

export interface PartyRef { country_code: string; party_id: string }

/** The authenticated caller of an OCPI request. */
export interface PeerContext {
  id: string
  status: PeerStatus
  version: string | null
  roles: CredentialsRole[]
  /** Custom modules (x-...) agreed with the peer (src/peers/extensions.ts). */
  extensions: string[]
  /** How its pushes are read (src/ocpi/ingest.ts). */
  ingest: 'strict' | 'tolerant'
  /** Our hosted party a 2.1.1 connection is with, when the operator chose one. */
  own_party: PartyRef | null
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
    requestId: string
    correlationId: string
    /** status_code of the envelope this request was answered with (set where envelopes are built; read by the request log). */
    ocpiStatusCode: number
  }
}

export const samePartyRef = (a: PartyRef, b: PartyRef) =>
  a.country_code.toUpperCase() === b.country_code.toUpperCase() && a.party_id.toUpperCase() === b.party_id.toUpperCase()
