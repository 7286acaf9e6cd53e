// The runtime probe: a bare Worker served beside a bench platform in the same workerd (bench/lib/workerd-serve.mjs),
// doing only the work a request of some shape cannot avoid on this runtime, and nothing of ocpi-edge. What it reaches
// is the best any Worker can reach for that shape here, measured in the same run as the platform (bench/README.md,
// "What the runtime allows"):
// - `GET /`: answers at once (the platform's own floor is the same request to the platform);
// - `?log`: on any path, first writes one log line of the platform's shape (a constant, so only the runtime's part is
//   measured): the platform writes one per OCPI request;
// - `GET /body?bytes=N`: answers N bytes of JSON, the same Blob every time (made once per size), as a cache-hit page of
//   that size at least costs: the runtime moving the bytes to the socket;
// - `GET /d1-page?limit=N`: the first N locations' stored 2.3.0 JSON read from the platform's own D1 with one query
//   (`locations`, the index the platform's pages use) and joined into an envelope: as a page built from D1 at least
//   costs: the query, the D1 client reading its result, the join and the bytes;
// - `GET /d1-token?uid=U`: one token looked up by uid in the platform's D1, as an authorization at least costs.

/** The Worker's source (an ES module): the probe needs the platform's D1 as `DB` for the two D1 shapes. */
export const RUNTIME_PROBE_SOURCE = `const line = ${JSON.stringify(JSON.stringify({
  time: '2026-01-01T00:00:00.000Z', level: 'info', type: 'request', request_id: '0b5c7a0e-6d3f-4f7e-9a55-1c1d9b8e2f10',
  correlation_id: '9d2b3c1a-5e4f-4a6b-8c7d-2e1f0a9b8c7d', peer_id: 'bench-reader', module: 'versions', method: 'GET',
  route: '/ocpi/versions', status: 200, ocpi_status_code: 1000, duration_ms: 0.12,
}))}
const bodies = new Map()
const JSON_HEADERS = { 'Content-Type': 'application/json' }
function bodyOf(bytes) {
  let body = bodies.get(bytes)
  if (!body) {
    const head = '{"data":"'
    const tail = '"}'
    body = new Blob([head + 'x'.repeat(Math.max(0, bytes - head.length - tail.length)) + tail])
    bodies.set(bytes, body)
  }
  return body
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url)
    if (url.searchParams.has('log')) console.log(line)
    switch (url.pathname) {
      case '/body':
        return new Response(bodyOf(Number(url.searchParams.get('bytes') ?? 0)), { headers: JSON_HEADERS })
      case '/d1-page': {
        const rows = await env.DB.prepare('SELECT json_230 FROM locations WHERE peer_id IS NULL ORDER BY last_updated, key LIMIT ?')
          .bind(Number(url.searchParams.get('limit') ?? 50)).raw()
        const data = rows.map((row) => row[0]).join(',')
        return new Response('{"data":[' + data + '],"status_code":1000,"timestamp":"2026-01-01T00:00:00Z"}', { headers: JSON_HEADERS })
      }
      case '/d1-token': {
        const row = await env.DB.prepare('SELECT object FROM tokens WHERE uid = ? LIMIT 1').bind(url.searchParams.get('uid') ?? '').first()
        return new Response('{"data":' + (row?.object ?? 'null') + ',"status_code":1000}', { headers: JSON_HEADERS })
      }
      default:
        return new Response('{"ok":true}', { headers: JSON_HEADERS })
    }
  },
}
`
