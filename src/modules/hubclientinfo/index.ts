import { VERSIONS_FROM_221 } from '../../ocpi/versions'
import { listHostedParties } from '../../peers/parties'
import type { OcpiModule } from '../../ocpi/module'
import { admin } from './admin'
import { receiver } from './receiver'
import { sender } from './sender'

/**
 * HubClientInfo (B8.4), identical in 2.2.1 and 2.3.0. "Data owner: Hub": the Sender lists every connected party and its
 * status, so it is offered only while this platform hosts a HUB party; otherwise it would tell any peer who else
 * this platform is connected to.
 */
export const hubclientinfo: OcpiModule = {
  // mod_hub_client_info is new in 2.2: 2.1.1 has no hubs.
  versions: VERSIONS_FROM_221,
  id: 'hubclientinfo', sender, receiver, admin,
  senderOffered: async (c) => (await listHostedParties(c.get('db'))).some((party) => party.role === 'HUB'),
}
