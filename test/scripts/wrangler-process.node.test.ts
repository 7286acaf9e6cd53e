import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { assertPortsFree, isPortFree, startPlatform } from '../../scripts/wrangler-process.mjs'

// A platform never starts beside a stale one: a taken port fails the start at once, naming the port.

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

/** Listens on a free port of 127.0.0.1, as a stale `wrangler dev` would; returns the port. */
async function occupyPort(): Promise<number> {
  const server = createServer()
  servers.push(server)
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve))
  return (server.address() as { port: number }).port
}

async function freePort(): Promise<number> {
  const port = await occupyPort()
  await new Promise((resolve) => servers.pop()!.close(resolve))
  return port
}

describe('platform ports', () => {
  it('tells a taken port from a free one', async () => {
    expect(await isPortFree(await occupyPort())).toBe(false)
    expect(await isPortFree(await freePort())).toBe(true)
  })

  it('refuses to start a platform on a taken port, naming it and the likely culprit', async () => {
    const taken = await occupyPort()
    const started = Date.now()
    const start = startPlatform({
      port: taken, inspectorPort: await freePort(), persistTo: '.e2e/never', adminToken: 'unused', portHint: 'or give this run other ports with E2E_PORT_BASE',
    })
    await expect(start).rejects.toThrow(`platform on port ${taken}: HTTP port ${taken} on 127.0.0.1 is already in use`)
    await expect(start).rejects.toThrow(/left over from an earlier run/)
    await expect(start).rejects.toThrow(/`wrangler dev` or workerd .* E2E_PORT_BASE\.$/s)
    expect(Date.now() - started).toBeLessThan(15_000) // the grace for a restart, not the start timeout
  }, 20_000)

  it('names a taken inspector port too', async () => {
    const inspector = await occupyPort()
    await expect(assertPortsFree({ HTTP: await freePort(), inspector }, { label: 'platform a', graceMs: 100 }))
      .rejects.toThrow(`platform a: inspector port ${inspector} on 127.0.0.1 is already in use`)
  })

  it('waits for a port that a stopping platform releases within the grace period', async () => {
    const port = await occupyPort()
    setTimeout(() => servers.pop()?.close(), 300)
    await expect(assertPortsFree({ HTTP: port }, { label: 'platform d', graceMs: 5_000 })).resolves.toBeUndefined()
  })
})
