import { z } from 'zod'
import { CiString, DateTime, Role } from '../types'

export const ConnectionStatus = z.enum(['CONNECTED', 'OFFLINE', 'PLANNED', 'SUSPENDED'])

/** ClientInfo (mod_hub_client_info.asciidoc): the same fields in 2.2.1 and 2.3.0. */
export const ClientInfo = z.object({
  party_id: CiString(3),
  country_code: CiString(2),
  role: Role,
  status: ConnectionStatus,
  last_updated: DateTime,
})
export type ClientInfo = z.infer<typeof ClientInfo>

