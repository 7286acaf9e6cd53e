import { env } from 'cloudflare:workers'
import { and, eq, sql } from 'drizzle-orm'
import { Hono } from 'hono'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AdminEnv } from '../../src/admin/context'
import { toAdminResponse } from '../../src/admin/errors'
import { database } from '../../src/db/client'
import { tokens } from '../../src/db/schema'
import type { OcpiEnv } from '../../src/ocpi/context'
import { describeError, redact } from '../../src/ocpi/log'
import { toOcpiResponse } from '../../src/ocpi/respond-error'

// Logs never carry SQL parameters, token uids, contract ids or credentials (docs/security.md, "Logs and redaction").

const UID = 'SECRET-UID-4711'
const CONTRACT = 'NL-MSP-C-SECRET-0815'

afterEach(() => vi.restoreAllMocks())

function captureConsole() {
  const lines: string[] = []
  for (const level of ['error', 'warn', 'log', 'info'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map((arg) => (arg instanceof Error ? `${arg.message}\n${arg.stack}` : String(arg))).join(' ')))
  }
  return lines
}

/** A real failing drizzle query on D1 whose bound parameters are a token uid and a contract id. */
const failingQuery = () =>
  database(env.DB).select().from(tokens).where(and(eq(tokens.uid, UID), sql`no_such_column = ${CONTRACT}`))

describe('log redaction', () => {
  it('keeps the bound values of a failed drizzle query out of the management API error log', async () => {
    const lines = captureConsole()
    const app = new Hono<AdminEnv>().get('/boom', async () => { await failingQuery(); return new Response() }).onError(toAdminResponse)
    expect((await app.request('/boom', {}, env)).status).toBe(500)
    const logged = lines.join('\n')
    expect(logged).toContain('Failed query')
    expect(logged).toContain('params: [redacted]')
    expect(logged).not.toContain(UID)
    expect(logged).not.toContain(CONTRACT)
  })

  it('keeps them out of the OCPI error log too', async () => {
    const lines = captureConsole()
    const app = new Hono<OcpiEnv>().get('/boom', async () => { await failingQuery(); return new Response() }).onError(toOcpiResponse)
    const response = await app.request('/boom', {}, env)
    expect(response.status).toBe(500)
    expect(await response.text()).not.toContain(UID)
    const logged = lines.join('\n')
    expect(logged).toContain('no_such_column')
    expect(logged).not.toContain(UID)
    expect(logged).not.toContain(CONTRACT)
  })

  it('redacts token paths, personal JSON members and credentials in any message, causes included', () => {
    const error = new Error(`PATCH https://peer.example/ocpi/2.3.0/receiver/tokens/NL/MSP/${UID}?type=RFID: OCPI 3000`, {
      cause: new Error(`body {"uid":"${UID}","contract_id":"${CONTRACT}","visual_number":"1234"} sent with Authorization: Token c2VjcmV0LXRva2Vu`),
    })
    const line = describeError(error)
    expect(line).toContain('/tokens/[redacted]?type=RFID')
    expect(line).toContain('"contract_id":"[redacted]"')
    expect(line).toContain('Token [redacted]')
    for (const secret of [UID, CONTRACT, '1234', 'c2VjcmV0LXRva2Vu']) expect(line).not.toContain(secret)
    expect(redact('renewal for peer peer-1 failed: HTTP 502')).toBe('renewal for peer peer-1 failed: HTTP 502')
  })

  it('is the only place that writes to the console', () => {
    const sources = import.meta.glob<string>('../../src/**/*.ts', { query: '?raw', import: 'default', eager: true })
    const writers = Object.entries(sources).filter(([path, text]) => !path.endsWith('/ocpi/log.ts') && /\bconsole\.(log|error|warn|info|debug)\(/.test(text))
    expect(writers.map(([path]) => path)).toEqual([])
    expect(Object.keys(sources).length).toBeGreaterThan(50)
  })
})
