import { Hono, type Context } from 'hono'
import type { OcpiEnv } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { OcpiError } from '../../ocpi/errors'
import { toEpochMs } from '../../ocpi/types'
import { readBody } from '../../ocpi/body'
import { ClientInfo } from '../../ocpi/objects/client-info'
import { getReceivedClientInfo, putReceivedClientInfo } from '../../peers/client-info-store'

/**
 * HubClientInfo Receiver interface: a hub pushes the connection status of the parties behind it ("Data owner: Hub").
 * Only a peer registered with the HUB role may push; a GET returns what that hub pushed.
 */
export const receiver = new Hono<OcpiEnv>()
  .put('/:country_code/:party_id', async (c) => {
    assertPeerIsHub(c)
    const clientInfo = await readBody(c, ClientInfo)
    const { country_code, party_id } = c.req.param()
    if (clientInfo.country_code.toUpperCase() !== country_code.toUpperCase() || clientInfo.party_id.toUpperCase() !== party_id.toUpperCase()) {
      throw new OcpiError(2001, `Body ${clientInfo.country_code}*${clientInfo.party_id} does not match the URL ${country_code}*${party_id}`, { path: 'country_code' })
    }
    // An older push than what we hold is acknowledged and ignored (last_updated decides, transport_and_format).
    await putReceivedClientInfo(c.get('db'), c.get('peer').id, clientInfo, toEpochMs(clientInfo.last_updated))
    return respond(c, undefined)
  })
  .get('/:country_code/:party_id', async (c) => {
    assertPeerIsHub(c)
    const clientInfo = await getReceivedClientInfo(c.get('db'), c.get('peer').id, c.req.param())
    if (!clientInfo) throw OcpiError.unknownObject(`ClientInfo ${c.req.param('country_code')}*${c.req.param('party_id')}`)
    return respond(c, clientInfo)
  })

function assertPeerIsHub(c: Context<OcpiEnv>) {
  if (!c.get('peer').roles.some((role) => role.role === 'HUB')) throw new OcpiError(2000, 'Only a Hub owns ClientInfo objects: this peer has no HUB role')
}
