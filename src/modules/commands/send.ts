import type { Database } from '../../db/client'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import { OcpiError } from '../../ocpi/errors'
import { type CommandBody, type CommandType } from '../../ocpi/objects/command'
import { commandBodyVersions, commandResponseVersions } from '../../ocpi/objects/version-maps'
import { toWire, adapterFor, hasVersion, type VersionAdapters } from '../../ocpi/version-adapters'
import type { OcpiVersion } from '../../ocpi/versions'
import type { HelpdeskCommandBody, HelpdeskCommandType } from '../../ocpi/objects/helpdesk-command'
import { peerEndpoint } from '../../peers/extensions'
import { requestPeerModule } from '../../peers/module-request'
import type { Peer } from '../../peers/store'
import { MAX_PEER_TIMEOUT_SECONDS } from './timeouts'
import { commandTracker } from './trackers'
import type { TrackedCommand } from './tracked'

export interface CommandToSend {
  id: string
  command: CommandType | HelpdeskCommandType
  request: CommandBody | HelpdeskCommandBody
  from?: PartyRef
  to?: PartyRef
  /** The module whose Receiver takes it, and its body adapters: an x- command module's (x-helpdesk) instead of commands. */
  module?: { id: string; adapters: VersionAdapters<CommandBody | HelpdeskCommandBody> }
}

/**
 * As eMSP: opens the command's tracker, POSTs the command to the peer's commands Receiver endpoint and records the
 * CommandResponse (an ACCEPTED one starts the wait for the result at our response_url). A peer without that endpoint is
 * refused before anything is recorded; one that cannot be reached leaves the command FAILED.
 */
export async function sendCommand(env: Env, db: Database, peer: Peer, send: CommandToSend): Promise<TrackedCommand> {
  if (peer.status !== 'CONNECTED' || !peer.outbound_token) throw new OcpiError(3001, `Peer ${peer.id} is ${peer.status}, not connected`)
  const moduleId = send.module?.id ?? 'commands'
  if (!peerEndpoint(peer, moduleId, 'RECEIVER')) throw new OcpiError(3003, `Peer ${peer.id} offers no ${moduleId} RECEIVER endpoint we may use`)
  const adapters = send.module?.adapters ?? commandBodyVersions(send.command as CommandType)
  // 2.1.1 has no CANCEL_RESERVATION (mod_commands.md of 2.1.1, 4.2): refused before anything is recorded.
  if (!peer.version || !hasVersion(adapters, peer.version as OcpiVersion)) throw new OcpiError(3003, `${send.command} is not supported in OCPI ${peer.version}, the version of peer ${peer.id}`)
  const tracker = commandTracker(env, send.id)
  const now = Date.now()
  const opened: TrackedCommand = {
    id: send.id, side: 'sent', peer_id: peer.id, version: peer.version as TrackedCommand['version'], command: send.command, request: send.request,
    state: 'PENDING', final: false, created_at: now, last_updated: now,
  }
  await tracker.open(opened, 'sent')
  try {
    const answer = await requestPeerModule(env, peer, {
      module: moduleId, role: 'RECEIVER', method: 'POST', path: [send.command],
      body: toWire(adapters, opened.version, send.request), from: send.from, to: send.to,
    })
    // The CommandResponse in the peer's version: 2.1.1 sends only `result` (mod_commands.md of 2.1.1, 3.1).
    const responseAdapter = adapterFor(commandResponseVersions, opened.version)
    const parsed = responseAdapter.schema.safeParse(answer.data)
    if (answer.status_code !== 1000 || !parsed.success) {
      return (await tracker.recordSendFailure(`status_code ${answer.status_code}${parsed.success ? '' : ', no valid CommandResponse'}`)) ?? opened
    }
    const response = responseAdapter.toCanonical(parsed.data)
    return (await tracker.recordResponse({ ...response, timeout: Math.min(response.timeout, MAX_PEER_TIMEOUT_SECONDS) })) ?? opened
  } catch (error) {
    if (!(error instanceof OcpiError)) throw error
    return (await tracker.recordSendFailure(error.message)) ?? opened
  }
}
