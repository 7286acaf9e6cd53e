import type { MiddlewareHandler } from 'hono'
import { type Database } from '../../db/client'
import { databaseFor } from '../../db/shards'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import { listHostedParties } from '../../peers/parties'
import type { Peer } from '../../peers/store'
import { publish } from '../../push/publish'
import type { PushAudience, PushChange } from '../../push/types'
import type { ClientInfo } from '../../ocpi/objects/client-info'
import { dequeueClientInfoChanges, queuedClientInfoChanges } from '../../peers/client-info-store'
import { logError } from '../../ocpi/log'
import { keepAliveOf } from '../../ocpi/keep-alive'

const CHANGES_PER_ROUND = 100

/**
 * After a request that may have changed a connection status (registration, unregistration, a hosted party added, a
 * renewal that found a peer back online): push the changes in the background, without delaying the answer. The cron
 * job catches what changes elsewhere (the offline recheck) and anything a failed run left queued.
 */
export function pushClientInfoChangesAfterWrites(): MiddlewareHandler<{ Bindings: Env }> {
  return async (c, next) => {
    await next()
    if (c.req.method === 'GET') return
    keepAliveOf(c)(pushClientInfoChanges(c.env).catch((error) => logError('hubclientinfo: pushing ClientInfo changes failed', error)))
  }
}

/**
 * mod_hub_client_info, "Push model": "Any changes to ClientInfo in the Hub system are sent to the connected party system
 * by calling the PUT method". When this platform hosts a HUB party, every queued status change of a party reachable
 * through it (client_info_changes) is pushed to every connected peer with a hubclientinfo RECEIVER endpoint, except
 * the peer the ClientInfo is about. Without a hosted HUB the queue is only emptied. Returns how many changes it took.
 */
export async function pushClientInfoChanges(env: Env, db: Database = databaseFor(env)): Promise<number> {
  let taken = 0
  for (;;) {
    const changes = await queuedClientInfoChanges(db, CHANGES_PER_ROUND)
    if (changes.length === 0) return taken
    const hub = (await listHostedParties(db)).find((party) => party.role === 'HUB')
    for (const { clientInfo, own } of changes) {
      // A row a hub's push has since taken over is that hub's news, not ours.
      if (hub && clientInfo && own) await publish(env, clientInfoChange(hub, clientInfo), notAbout(clientInfo))
    }
    await dequeueClientInfoChanges(db, changes.map(({ change }) => change))
    taken += changes.length
    if (changes.length < CHANGES_PER_ROUND) return taken
  }
}

/** Every peer but the one holding the role the ClientInfo describes: it knows its own connection best. */
function notAbout(subject: PartyRef & { role: string }): PushAudience {
  return (peer: Peer) => {
    const isSubject = (role: Peer['roles'][number]) =>
      role.role === subject.role && role.country_code.toUpperCase() === subject.country_code && role.party_id.toUpperCase() === subject.party_id
    if (peer.roles.some(isSubject)) return undefined
    // Not sent (routing headers are off for this module); the outbox files the push under it.
    return peer.roles[0] && { country_code: peer.roles[0].country_code, party_id: peer.roles[0].party_id }
  }
}

function clientInfoChange(hub: PartyRef, clientInfo: ClientInfo): PushChange {
  return {
    module: 'hubclientinfo',
    method: 'PUT',
    path: [clientInfo.country_code, clientInfo.party_id],
    // ClientInfo is the same object in 2.2.1 and 2.3.0.
    bodies: { '2.2.1': clientInfo, '2.3.0': clientInfo },
    from: { country_code: hub.country_code, party_id: hub.party_id },
    routingHeaders: false,
    objectKey: `hubclientinfo/${clientInfo.country_code}/${clientInfo.party_id}/${clientInfo.role}`,
  }
}
