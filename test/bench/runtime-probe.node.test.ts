import { describe, expect, it } from 'vitest'
import { RUNTIME_PROBE_SOURCE } from '../../bench/lib/runtime-probe.mjs'

// The bench's runtime probe (bench/lib/runtime-probe.mjs) is a Worker given as source text: loaded here as the module
// workerd loads, with a stand-in D1, it must answer each shape with what the bench compares the platform against.
const probe: { fetch(request: Request, env: unknown): Promise<Response> } =
  (await import(`data:text/javascript,${encodeURIComponent(RUNTIME_PROBE_SOURCE)}`)).default

const rows = [['{"id":"A"}'], ['{"id":"B"}']]
const env = {
  DB: {
    prepare: (sql: string) => ({
      bind: (...args: unknown[]) => ({
        raw: async () => (sql.includes('FROM locations') ? rows.slice(0, Number(args[0])) : []),
        first: async () => (sql.includes('FROM tokens') && args[0] === '04AB' ? { object: '{"uid":"04AB"}' } : null),
      }),
    }),
  },
}
const get = (path: string) => probe.fetch(new Request(`http://probe${path}`), env)

describe('runtime probe', () => {
  it('sends a JSON body of exactly the bytes asked for, the same one each time', async () => {
    for (const bytes of [7319, 171780]) {
      const text = await (await get(`/body?bytes=${bytes}`)).text()
      expect(new TextEncoder().encode(text).byteLength).toBe(bytes)
      expect(() => JSON.parse(text)).not.toThrow()
    }
  })
  it('joins the stored locations it reads into an envelope, and finds a token by uid', async () => {
    expect(await (await get('/d1-page?limit=2')).json()).toMatchObject({ data: [{ id: 'A' }, { id: 'B' }], status_code: 1000 })
    expect(await (await get('/d1-token?uid=04AB')).json()).toMatchObject({ data: { uid: '04AB' } })
    expect(await (await get('/d1-token?uid=none')).json()).toMatchObject({ data: null })
  })
  it('answers anything else at once', async () => {
    expect(await (await get('/')).json()).toEqual({ ok: true })
  })
})
