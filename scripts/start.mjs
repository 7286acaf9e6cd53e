// `npm start`: apply local D1 migrations, serve on :8787 with local D1/DO/R2, seed the demo platform once it answers.
import { spawn } from 'node:child_process'
import { offlineEnv, runWrangler, waitUntilServing } from './wrangler-process.mjs'
import { seedDemo } from './seed.mjs'
import { copyDashboardAssets } from './dashboard-assets.mjs'

const port = Number(process.env.PORT ?? 8787)
const url = `http://localhost:${port}`
await copyDashboardAssets()
await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local'], { stdio: 'inherit' })
const dev = spawn(process.execPath, ['node_modules/wrangler/bin/wrangler.js', 'dev', '--port', String(port), '--var', `PUBLIC_URL:${url}`,
  // A local demo's peers live on this machine: allow private peer URLs here only (docs/security.md, "Outbound URL policy").
  '--var', 'ALLOW_PRIVATE_PEER_URLS:true',
  // The demo's charge points run 10 times faster than real time: a meter value every 6 s (docs/commands.md).
  '--var', `SIMULATOR_SPEED:${process.env.SIMULATOR_SPEED ?? '10'}`], {
  stdio: 'inherit',
  env: offlineEnv(),
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal))
dev.on('exit', (code) => process.exit(code ?? 0))
await waitUntilServing(url, 120_000)
await seedDemo(url, process.env.ADMIN_TOKEN ?? 'local-admin-token')
console.log(`\nocpi-edge demo platform ready on ${url} (versions: ${url}/ocpi/versions, management: ${url}/admin/v1, dashboard: ${url}/admin)\n`)
