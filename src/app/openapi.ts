import { Hono } from 'hono'
import { z } from 'zod'
import { CDR } from '../ocpi/objects/cdr'
import { CommandResult } from '../ocpi/objects/command'
import { ChargingLimits } from '../modules/commands/limits'
import { ConnectorPatch, EVSEPatch, Location, LocationPatch } from '../ocpi/objects/location'
import { MoveRequest } from '../modules/locations/migration'
import { SharingPolicy } from '../ocpi/objects/sharing-policy'
import { Session, SessionPatch } from '../ocpi/objects/session'
import { Tariff } from '../ocpi/objects/tariff'
import { AuthorizeRequest } from '../modules/tokens/authorize'
import { Token } from '../ocpi/objects/token'
import { DriverTariff } from '../ocpi/objects/driver-tariff'
import { GdprSubject } from '../modules/x-gdpr/schema'
import { CancelBooking, NewBooking } from '../modules/bookings/admin-schema'
import { ExportPartyRequest, ImportPartyRequest } from '../modules/x-token-migration/schema'
import type { AdminEnv } from '../admin/context'

// The management API's OpenAPI document, served at /admin/v1/openapi.json. Request bodies are generated from the zod
// schemas the routes parse with (z.toJSONSchema); test/admin/openapi.test.ts checks that the operations listed here are
// exactly the routes the admin app mounts.

interface Operation {
  summary: string
  /** The zod schema the route parses its body with; 'object' where that schema is private to the route. */
  body?: z.ZodType | 'object'
  /** What the body differs in from `body`, for owner writes that the platform completes. */
  body_note?: string
  /** The success status, 200 unless said otherwise. */
  status?: 200 | 201 | 202 | 204
}

const STAMPED = 'last_updated may be left out: the platform sets it to the time of the write'
const OBJECT_BODY = 'a JSON object; see docs/management-api.md'

/** Every management route, keyed `METHOD path` with the path as Hono writes it (relative to /admin/v1). */
export const adminOperations: Record<string, Operation> = {
  'GET /openapi.json': { summary: 'This document' },
  'POST /parties': { summary: 'Adds a hosted party (country_code, party_id, role, business_details)', body: 'object', status: 201 },
  'GET /parties': { summary: 'Lists the hosted parties' },
  'POST /peers/invite': { summary: "Creates a peer slot and token A, for a peer that registers with us; optional role grants and ingest ('strict' or 'tolerant')", body: 'object', status: 201 },
  'POST /peers/connect': { summary: "Registers with a peer, given its versions URL and token A; optional ingest ('strict' or 'tolerant')", body: 'object', status: 201 },
  'GET /peers': { summary: 'Lists peers: status, token_state (OK or TOKEN_REJECTED), version, roles, endpoints, ingest, outbox' },
  'PATCH /peers/:peer_id': { summary: "Changes the peer's settings: ingest ('strict' or 'tolerant'), how its pushes are read", body: 'object' },
  'GET /peers/:peer_id': { summary: 'One peer' },
  'POST /peers/:peer_id/renew': { summary: 'Renews the credentials with the peer now' },
  'POST /peers/:peer_id/refresh': { summary: "Reads the peer's versions and endpoints again" },
  'PUT /peers/:peer_id/extensions': { summary: 'Sets the custom (x-) modules agreed with the peer', body: 'object' },
  'POST /peers/:peer_id/roles/approve': { summary: "Grants the peer's pending roles (all, or those listed)", body: 'object' },
  'POST /peers/:peer_id/roles/reject': { summary: "Drops the peer's pending roles (all, or those listed)", body: 'object' },
  'DELETE /peers/:peer_id': { summary: 'Unregisters from the peer' },
  'GET /peers/:peer_id/tariff-settings': { summary: 'Tariff settings of a peer (non-ISO currencies)' },
  'PUT /peers/:peer_id/tariff-settings': { summary: 'Sets the tariff settings of a peer', body: 'object' },
  'GET /peers/:peer_id/stats': { summary: "The peer's request counters: requests, errors, p50/p99 latency, last seen, in total and per module (up to staleness_seconds behind)" },
  'GET /peers/:peer_id/refused-pushes': { summary: 'The latest pushes the peer refused (OCPI 2xxx: recorded, not retried), newest first' },
  'GET /refused-pushes': { summary: 'The latest pushes refused by any peer, newest first' },
  'GET /audit': { summary: 'The audit log, newest first (limit, before: an entry id, action)' },
  'GET /jobs': { summary: 'The latest background jobs started, newest first' },
  'GET /live-sessions': { summary: 'Unfinished sessions, own and received, newest first, with energy and cost; then the `finished` latest finished ones' },
  'GET /jobs/:job_id': { summary: 'State of a background job' },
  'POST /jobs/:job_id/cancel': { summary: 'Cancels a background job' },
  'GET /locations': { summary: 'Lists own or received locations (paged)' },
  'GET /locations/:country_code/:party_id/:location_id': { summary: 'One location' },
  'PUT /locations/:country_code/:party_id/:location_id': { summary: 'Writes a location of a hosted CPO, then pushes it', body: Location, body_note: STAMPED },
  'PATCH /locations/:country_code/:party_id/:location_id': { summary: 'Changes a location, pushed as PATCH', body: LocationPatch, body_note: STAMPED },
  'PATCH /locations/:country_code/:party_id/:location_id/:evse_uid': { summary: 'Changes an EVSE, pushed as PATCH', body: EVSEPatch, body_note: STAMPED },
  'PATCH /locations/:country_code/:party_id/:location_id/:evse_uid/:connector_id': { summary: 'Changes a connector, pushed as PATCH', body: ConnectorPatch, body_note: STAMPED },
  'POST /locations/:country_code/:party_id/:location_id/move': { summary: 'Moves a location to another CPO (charge point migration)', body: MoveRequest, status: 202 },
  'POST /locations/sync/:peer_id': { summary: "Pulls a peer's locations (background job)", body: 'object', status: 202 },
  'GET /policies/:country_code/:party_id': { summary: 'The data-sharing policy of a party' },
  'PUT /policies/:country_code/:party_id': { summary: 'Sets the data-sharing policy of a party', body: SharingPolicy },
  'GET /tariffs': { summary: 'Lists own or received tariffs (paged)' },
  'GET /tariffs/:country_code/:party_id/:tariff_id': { summary: 'One tariff' },
  'PUT /tariffs/:country_code/:party_id/:tariff_id': { summary: 'Writes a tariff of a hosted CPO, then pushes it', body: Tariff, body_note: STAMPED },
  'DELETE /tariffs/:country_code/:party_id/:tariff_id': { summary: 'Deletes a tariff, pushed as DELETE' },
  'GET /driver-tariffs': { summary: 'Lists driver-specific tariffs (x-driver-tariffs)' },
  'GET /driver-tariffs/:country_code/:party_id/:token_uid': { summary: 'The tariff of one driver' },
  'PUT /driver-tariffs/:country_code/:party_id/:token_uid': { summary: 'Writes the tariff of one driver, then pushes it', body: DriverTariff, body_note: STAMPED },
  'DELETE /driver-tariffs/:country_code/:party_id/:token_uid': { summary: 'Deletes the tariff of one driver' },
  'GET /tokens': { summary: 'Lists own or received tokens (paged)' },
  'GET /tokens/:country_code/:party_id/:token_uid': { summary: 'One token' },
  'PUT /tokens/:country_code/:party_id/:token_uid': { summary: 'Writes a token of a hosted eMSP, then pushes it', body: Token, body_note: `${STAMPED}; allowed_countries and account_status are owner rules, never sent as such` },
  'PATCH /tokens/:country_code/:party_id/:token_uid': { summary: 'Changes a token, pushed as PATCH', body: 'object' },
  'POST /tokens/sync/:peer_id': { summary: "Pulls a peer's tokens (background job)", body: 'object', status: 202 },
  'POST /authorize': { summary: 'A charge point asks whether a token may charge (real-time authorization)', body: AuthorizeRequest },
  'GET /authorizations': { summary: 'Lists the recorded authorizations' },
  'GET /sessions': { summary: 'Lists own or received sessions (paged)' },
  'GET /sessions/:country_code/:party_id/:session_id': { summary: 'One session' },
  'PUT /sessions/:country_code/:party_id/:session_id': { summary: 'Writes a session of a hosted CPO, then pushes it', body: Session, body_note: STAMPED },
  'PATCH /sessions/:country_code/:party_id/:session_id': { summary: 'Changes a session, pushed as PATCH', body: SessionPatch, body_note: STAMPED },
  'GET /cdrs': { summary: 'Lists own or received CDRs (paged)' },
  'POST /cdrs/:country_code/:party_id': { summary: 'Creates a CDR of a hosted CPO (immutable), then pushes it', body: CDR, status: 201 },
  'GET /cdrs/:country_code/:party_id/:cdr_id': { summary: 'One CDR' },
  'GET /cdrs/:country_code/:party_id/:cdr_id/receipt': { summary: 'The JSON receipt of a CDR (HTML with Accept: text/html)' },
  'GET /cdrs/:country_code/:party_id/:cdr_id/receipt.html': { summary: 'The printable HTML receipt of a CDR' },
  'PUT /cdrs/:country_code/:party_id/:cdr_id/dispute': { summary: 'Disputes a received CDR with a reason and text (x-cdr-disputes), sent to its CPO', body: 'object' },
  'DELETE /cdrs/:country_code/:party_id/:cdr_id/dispute': { summary: 'Withdraws the dispute of a CDR' },
  'GET /cdrs/:country_code/:party_id/:cdr_id/dispute': { summary: 'The dispute of a CDR and its state (OPEN, WITHDRAWN, SETTLED)' },
  'GET /invoices': { summary: 'Lists own or received Invoice Reconciliation records (paged)' },
  'PUT /invoices/:country_code/:party_id/:id': { summary: 'Writes an Invoice Reconciliation record of a hosted party, then pushes it to its counterparty', body: 'object' },
  'DELETE /invoices/:country_code/:party_id/:id': { summary: 'Deletes an Invoice Reconciliation record, pushed as DELETE', status: 204 },
  'GET /invoices/:country_code/:party_id/:id': { summary: 'One Invoice Reconciliation record' },
  'GET /invoices/:country_code/:party_id/:id/reconciliation': { summary: 'Reconciles a record against the CDRs held: unknown, missing, credits, disputes, totals, invoice amount' },
  'GET /hubclientinfo': { summary: 'Lists ClientInfo objects (paged)' },
  'POST /feeds/build': { summary: 'Builds the x-feeds snapshots now', status: 202 },
  'POST /gdpr/:peer_id/access': { summary: 'Asks a peer for the records it holds on a driver (x-gdpr)', body: GdprSubject },
  'POST /gdpr/:peer_id/forget': { summary: 'Asks a peer to erase the records it holds on a driver (x-gdpr)', body: GdprSubject },
  'GET /gdpr/requests/:id': { summary: 'State of a GDPR request' },
  'POST /bookings/:peer_id': { summary: 'Books a time slot at a peer CPO from a hosted eMSP party (Bookings)', body: NewBooking, status: 201 },
  'POST /bookings/:peer_id/:country_code/:party_id/:booking_id/cancel': { summary: 'Cancels a booking held by a peer CPO', body: CancelBooking },
  'POST /own-bookings/:country_code/:party_id/:booking_id/cancel': { summary: 'A hosted CPO cancels a booking it holds; pushed to the eMSP', body: CancelBooking },
  'GET /bookings': { summary: 'Lists received or own bookings (paged)' },
  'GET /bookings/:peer_id/:country_code/:party_id/:booking_id': { summary: 'One booking a peer CPO holds for us' },
  'POST /booking-locations/:peer_id/pull': { summary: "Fetches a peer CPO's BookingLocations with their Calendars and keeps them" },
  'GET /booking-locations': { summary: 'Lists the BookingLocations peer CPOs sent (paged; peer_id filters)' },
  'POST /migrations/export-party': { summary: 'Offers the tokens of a hosted party to another platform (x-token-migration)', body: ExportPartyRequest, status: 202 },
  'POST /migrations/import-party': { summary: 'Takes over the tokens of a party from another platform', body: ImportPartyRequest, status: 202 },
  'GET /migrations/moves': { summary: 'Lists party moves' },
  'GET /migrations/:id': { summary: 'State of a migration' },
  'POST /commands/:peer_id/:command': { summary: 'Sends a command to a CPO peer as eMSP; the body is the command object without response_url', body: 'object', status: 202 },
  'POST /commands/:peer_id/x-helpdesk/:command': { summary: 'Sends a helpdesk RESET or UNLOCK to a CPO peer that agreed (x-helpdesk)', body: 'object', status: 202 },
  'GET /commands': { summary: 'Lists commands sent and received (paged)' },
  'GET /commands/:command_id': { summary: 'One command with its whole history' },
  'POST /csms/commands/:command_id/result': { summary: 'The CSMS reports the charge point result of a command (docs/csms-webhook.md)', body: CommandResult },
  'POST /csms/sessions/:country_code/:party_id/:session_id/start': { summary: 'The CSMS reports a session started; the platform holds it live and pushes its updates', body: Session, status: 201 },
  'POST /csms/sessions/:country_code/:party_id/:session_id/meter': { summary: 'The CSMS reports an absolute meter value of a live session', body: 'object' },
  'POST /csms/sessions/:country_code/:party_id/:session_id/stop': { summary: 'The CSMS reports the end of a live session; its CDR is created and sent', body: 'object' },
  'PUT /charging-limits/:peer_id/:country_code/:party_id/:session_id': { summary: 'Sets the limits of a session at the CPO peer running it (x-charging-limits)', body: ChargingLimits },
  'GET /charging-limits/:peer_id/:country_code/:party_id/:session_id': { summary: 'Reads the limits and live state of a session at the CPO peer (x-charging-limits)' },
  'GET /session-feed/:peer_id': { summary: 'One page of a CPO peer\'s anonymised session feed (x-session-feed)' },
  'GET /live-sessions/:country_code/:party_id/:session_id': { summary: 'Live state of a hosted CPO session (energy, power)' },
}

const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}')
const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' })

export function openApiDocument(publicUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const [key, operation] of Object.entries(adminOperations)) {
    const [method, path] = key.split(' ') as [string, string]
    const parameters = [...path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }))
    const needsBody = operation.body !== undefined
    paths[toOpenApiPath(path)] ??= {}
    paths[toOpenApiPath(path)]![method.toLowerCase()] = {
      summary: operation.summary,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(needsBody ? {
        requestBody: {
          required: true,
          ...(operation.body_note ? { description: operation.body_note } : {}),
          content: { 'application/json': { schema: operation.body === 'object' || !operation.body ? { type: 'object', description: OBJECT_BODY } : jsonSchema(operation.body) } },
        },
      } : {}),
      responses: {
        [String(operation.status ?? 200)]: { description: 'Success', content: { 'application/json': { schema: {} } } },
        '4XX': { $ref: '#/components/responses/Error' },
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'ocpi-edge management API', version: 'v1' },
    servers: [{ url: `${publicUrl.replace(/\/$/, '')}/admin/v1` }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
      responses: {
        Error: {
          description: 'Refused: { error: { code, message, path? } }, code being the OCPI status code',
          content: { 'application/json': { schema: {
            type: 'object', required: ['error'],
            properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'integer' }, message: { type: 'string' }, path: { type: 'string' } } } },
          } } },
        },
      },
    },
  }
}

export const openApiAdmin = new Hono<AdminEnv>().get('/openapi.json', (c) => c.json(openApiDocument(c.env.PUBLIC_URL)))
