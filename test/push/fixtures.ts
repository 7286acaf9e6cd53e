import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { vi } from 'vitest'
import { database } from '../../src/db/client'
import { peers, type Endpoint } from '../../src/db/schema'
import type { Peer } from '../../src/peers/store'
import { peerOutbox } from '../../src/push/publish'
import type { PushChange } from '../../src/push/types'

export const CPO = { country_code: 'NL', party_id: 'CPO' }
export const EMSP = { country_code: 'DE', party_id: 'MSP' }

export const uniqueId = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`

const outboxesInUse = new Set<string>()

/** The outbox of a test peer, remembered so that purgeTestOutboxes() stops its retries once the test is over. */
export function testOutbox(peerId: string) {
  outboxesInUse.add(peerId)
  return peerOutbox(env, peerId)
}

/** Empties every outbox a test used, so no alarm keeps retrying against real hosts after its fetch stub is gone. */
export async function purgeTestOutboxes() {
  await Promise.all([...outboxesInUse].map((peerId) => peerOutbox(env, peerId).purge()))
  outboxesInUse.clear()
}

/** A peer row as registration leaves it; the receiver endpoints point at `baseUrl`. */
export async function insertPeer(overrides: Partial<Peer> & { baseUrl?: string } = {}): Promise<Peer> {
  const { baseUrl = 'https://peer.example.com/ocpi/2.3.0', ...fields } = overrides
  const endpoints: Endpoint[] = [
    { identifier: 'locations', role: 'RECEIVER', url: `${baseUrl}/receiver/locations` },
    { identifier: 'tariffs', role: 'RECEIVER', url: `${baseUrl}/receiver/tariffs` },
  ]
  const now = Date.now()
  const [row] = await database(env.DB).insert(peers).values({
    id: uniqueId('peer'), status: 'CONNECTED', initiated_by: 'us', version: '2.3.0', endpoints, outbound_token: 'token-we-present',
    roles: [{ role: 'EMSP', ...EMSP, business_details: { name: 'MSP' } }], created_at: now, updated_at: now, ...fields,
  }).returning()
  if (!row) throw new Error('the peer was not inserted')
  outboxesInUse.add(row.id)
  return row
}

/** A location-level change; `fields` become the body in both versions. */
export function locationChange(method: PushChange['method'], locationId: string, fields: Record<string, unknown> = {}, subPath: string[] = []): PushChange {
  const body = method === 'DELETE' ? null : { ...fields, last_updated: fields.last_updated ?? new Date().toISOString() }
  return {
    module: 'locations', method, path: [CPO.country_code, CPO.party_id, locationId, ...subPath],
    bodies: { '2.3.0': body, '2.2.1': body }, from: CPO, objectKey: `locations/NL/CPO/${locationId}`,
  }
}

export interface ReceivedPush { method: string; url: string; headers: Headers; body: any }

/**
 * Stands in for the peer's receiver endpoints: records every outbound request and answers with `answer`
 * (an OCPI status_code, an HTTP error, or a thrown network error).
 */
export function fakePeer(answer: (push: ReceivedPush, index: number) => Promise<Response> | Response = () => ocpiAnswer(1000)) {
  const received: ReceivedPush[] = []
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    const text = await request.text()
    const push = { method: request.method, url: request.url, headers: request.headers, body: text ? JSON.parse(text) : undefined }
    received.push(push)
    return answer(push, received.length - 1)
  })
  return { received, restore: () => spy.mockRestore() }
}

export function ocpiAnswer(statusCode: number, statusMessage = statusCode < 2000 ? 'Success' : 'Refused', httpStatus = 200) {
  return Response.json({ data: null, status_code: statusCode, status_message: statusMessage, timestamp: new Date().toISOString() }, { status: httpStatus })
}

/** Runs a peer's PeerOutbox alarm until nothing is due, at most `maxRuns` times: delivers what it has queued. */
export async function deliverQueued(peerId: string, maxRuns = 10) {
  for (let runs = 0; runs < maxRuns && (await runDurableObjectAlarm(peerOutbox(env, peerId))); runs++);
}

/**
 * Holds an outbox as a peer-wide backoff would: what is enqueued from now on waits for the next alarm run (the test runs
 * it with runDurableObjectAlarm, which clears the hold) instead of going out at once, so the test can see the queue.
 */
export async function holdOutbox(outbox: ReturnType<typeof peerOutbox>) {
  await runInDurableObject(outbox, (_, state) => void state.storage.sql.exec('UPDATE outbox_state SET paused_until = ?', Date.now() + 3_600_000))
}

/** A promise the test opens when it chooses: a fake peer awaits `gate.passed` to hold a push in flight until `gate.open()`. */
export function gate(): { passed: Promise<void>; open: () => void } {
  let open!: () => void
  const passed = new Promise<void>((resolve) => (open = resolve))
  return { passed, open }
}
