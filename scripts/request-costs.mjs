// Rewrites bench/request-costs.json (the D1 round trips and Durable Object calls per request path that the scale model
// reads) from test/perf/query-counts.test.ts: workers tests cannot write files, so the test prints its figures between
// markers and this script files them. Run it after a change that alters what a request costs, then commit the file.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'

const run = spawnSync('npx', ['vitest', 'run', '--project', 'workers', 'test/perf/query-counts.test.ts'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
const output = `${run.stdout}\n${run.stderr}`
const match = /REQUEST-COSTS-JSON-BEGIN\n([\s\S]*?)\nREQUEST-COSTS-JSON-END/.exec(output)
if (!match) {
  console.error(output)
  console.error('request-costs: the test printed no figures')
  process.exit(1)
}
const costs = JSON.parse(match[1])
writeFileSync(new URL('../bench/request-costs.json', import.meta.url), `${JSON.stringify(costs, null, 2)}\n`)
console.log(`bench/request-costs.json: ${Object.keys(costs).length} paths`)
