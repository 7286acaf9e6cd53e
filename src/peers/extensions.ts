import type { Endpoint } from '../db/schema'

// version_information_endpoint, "Custom Modules": "These custom moduleIDs MAY only be sent to parties with which there
// is an agreement to use a custom module." Each peer carries the x- modules agreed with it; this file is the one place
// that decides whether a module may be used with a peer, for version details, inbound routes and outbound calls alike.

// Modules a release adds "on top of OCPI" (2.3.0-booking-1.0 changelog: "added module on top of OCPI"; its ModuleID is
// not in version_information_endpoint's list) are treated as custom modules: used only where agreed.
const MODULES_ON_TOP_OF_OCPI = ['Booking']

export const isCustomModule = (moduleId: string) => moduleId.startsWith('x-') || MODULES_ON_TOP_OF_OCPI.includes(moduleId)

/** Standard modules always; a custom module only when agreed with the peer. */
export const agreedWith = (peer: { extensions: readonly string[] }, moduleId: string) => !isCustomModule(moduleId) || peer.extensions.includes(moduleId)

/**
 * The endpoint the peer lists for a module and role, when we may use it. Every outbound call looks its endpoint up
 * here, so a custom endpoint the peer lists without an agreement is never called.
 */
export function peerEndpoint(peer: { endpoints: readonly Endpoint[]; extensions: readonly string[] }, moduleId: string, role: Endpoint['role']): Endpoint | undefined {
  if (!agreedWith(peer, moduleId)) return undefined
  return peer.endpoints.find((endpoint) => endpoint.identifier === moduleId && endpoint.role === role)
}
