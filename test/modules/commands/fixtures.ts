import { env } from 'cloudflare:workers'
import { runDurableObjectAlarm } from 'cloudflare:test'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { fakePeer, ocpiAnswer, type ReceivedPush } from '../../push/fixtures'
import { hostCpo, putOwn, sampleLocation, uniqueParty, type Party } from '../locations/fixtures'
import { hostParty, rfidToken, roleOf, toHeaders } from '../tokens/fixtures'
import type { OcpiVersion } from '../../../src/ocpi/versions'

export { adminFetch, fakePeer, ocpiAnswer, ocpiFetch, rfidToken, type OcpiBody, type Party, type ReceivedPush }

export const EMSP_HOST = 'https://emsp.example'

/** A hosted CPO with one published location `LOC1` (EVSE `LOC1-E1`, connector `1`), and an eMSP peer of `version`. */
export async function cpoWithEmspPeer(version: OcpiVersion, extensions: string[] = []) {
  const cpo = uniqueParty('NL')
  await hostCpo(cpo)
  await putOwn(sampleLocation(cpo, 'LOC1'))
  const emsp = uniqueParty('DE')
  const peer = await registeredPeer({
    roles: [roleOf('EMSP', emsp)], version, extensions,
    fields: { endpoints: [{ identifier: 'commands', role: 'SENDER', url: `${EMSP_HOST}/ocpi/${version}/sender/commands` }] },
  })
  const command = (type: string, body: unknown, options: { token?: string; headers?: Record<string, string> } = {}) =>
    ocpiFetch(`/ocpi/${version}/receiver/commands/${type}`, { token: options.token ?? peer.token, method: 'POST', body, headers: { ...toHeaders(cpo), ...options.headers } })
  return { cpo, emsp, peer, command, responseUrl: (suffix: string) => `${EMSP_HOST}/ocpi/${version}/sender/commands/${suffix}` }
}

/** A hosted eMSP and a CPO peer of `version` with a commands Receiver endpoint. */
export async function emspWithCpoPeer(version: OcpiVersion) {
  const emsp = await hostParty('EMSP')
  const cpo = uniqueParty('NL')
  const peer = await registeredPeer({
    roles: [roleOf('CPO', cpo)], version,
    fields: { endpoints: [{ identifier: 'commands', role: 'RECEIVER', url: `https://cpo.example/ocpi/${version}/receiver/commands` }] },
  })
  return { emsp, cpo, peer }
}

export const tracker = (id: string) => env.COMMAND_TRACKER.get(env.COMMAND_TRACKER.idFromName(id))

/** Runs a command's alarms until none is due now (dispatch, delivery). */
export async function settle(id: string) {
  for (let runs = 0; runs < 3 && (await runDurableObjectAlarm(tracker(id))); runs++);
}

/** The id of the last command a peer sent us, from the management list. */
export async function lastReceivedCommand(peerId: string, command: string): Promise<string> {
  const list = await (await adminFetch('/commands?limit=1000')).json<{ id: string; peer_id: string; command: string; side: string }[]>()
  const found = list.filter((entry) => entry.peer_id === peerId && entry.command === command && entry.side === 'received').at(-1)
  if (!found) throw new Error(`no ${command} received from ${peerId}`)
  return found.id
}

export async function commandView(id: string) {
  return (await adminFetch(`/commands/${id}`)).json<{ command: Record<string, any>; history: { event: string; detail?: any }[] }>()
}

export const data = async (response: Response) => (await response.json<OcpiBody>())
