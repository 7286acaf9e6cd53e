import type { PartyRef } from '../ocpi/context'
import type { Role } from '../ocpi/types'
import { isSingleParty } from './one-party-connection'

// transport_and_format, "Message Routing": requests through a Hub carry OCPI-from-* and OCPI-to-* so the Hub knows
// whom to route to. The routing tables name who is who:
// - "GET All via Hubs": TO = the Hub, FROM = the party requesting the list (the Hub answers from its own view);
// - a push, a command or a real-time authorization: FROM = our party, TO = the party that receives it;
// - "routing headers SHALL NOT be used with these modules" (credentials, versions, hubclientinfo).
// This file is the one rule every outbound call to a peer goes through: the outbox, module requests and pulls.

/** Configuration modules: never with routing headers. */
const CONFIGURATION_MODULES = new Set(['credentials', 'versions', 'hubclientinfo'])

export interface RoutingPeer {
  roles: ReadonlyArray<PartyRef & { role: string }>
  version?: string | null
}

export interface RoutedCall {
  module: string
  /** `pull`: a GET at the peer's Sender interface; `push`: anything sent to its Receiver (or a command/authorize). */
  kind: 'pull' | 'push'
  /** Our party making the call, when the caller knows it. */
  from?: PartyRef
  /** The party the call is for, when the caller knows it. */
  to?: PartyRef
}

/** The peer's HUB party, when it holds that role. */
export function hubPartyOf(peer: RoutingPeer): PartyRef | undefined {
  const hub = peer.roles.find((role) => role.role === 'HUB')
  return hub ? { country_code: hub.country_code.toUpperCase(), party_id: hub.party_id.toUpperCase() } : undefined
}

/**
 * The OCPI-from/OCPI-to of one call to `peer`, or none. To a HUB peer every call of a functional module is routed:
 * pulls go TO the hub (its view of all parties) FROM our requesting party; pushes go FROM our party TO the receiving
 * party, the hub itself when the caller names none. Without a HUB role the caller's own choice is kept, since a direct
 * peer hosting several parties may need OCPI-to too.
 */
export function routingOf(peer: RoutingPeer, call: RoutedCall, ourParty?: PartyRef): { from?: PartyRef; to?: PartyRef } {
  // 2.1.1 has no routing headers (its transport_and_format.md names none): one party talks to one party.
  if (CONFIGURATION_MODULES.has(call.module) || isSingleParty(peer.version)) return {}
  const hub = hubPartyOf(peer)
  const from = call.from ?? ourParty
  if (!hub) return { from: call.from, to: call.to }
  if (!from) return {}
  // A GET All names the Hub as TO ("GET All via Hubs"); a push or a GET of one object names its receiver when known.
  return { from, to: call.to ?? hub }
}

/**
 * Which of our hosted parties asks when a pull names none: the first one in a role that receives the module's data
 * (a locations pull is an eMSP's or NSP's), else the first hosted party.
 */
export function requestingHostedParty(hosted: ReadonlyArray<PartyRef & { role: string }>, ownerRole: Role): PartyRef | undefined {
  const party = hosted.find((candidate) => candidate.role !== ownerRole) ?? hosted[0]
  return party ? { country_code: party.country_code, party_id: party.party_id } : undefined
}
