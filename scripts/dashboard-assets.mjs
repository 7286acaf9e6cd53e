// Copies the map library the dashboard uses (Leaflet, an npm dependency) next to the dashboard's static files, so the
// worker serves it itself: no CDN, and the dashboard works offline. Runs on `npm install`/`npm ci` (prepare), `npm start`
// and before the dashboard's browser test. Idempotent; writes only what changed.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const FILES = [['node_modules/leaflet/dist/leaflet.js', 'public/admin/vendor/leaflet.js'], ['node_modules/leaflet/dist/leaflet.css', 'public/admin/vendor/leaflet.css']]

export async function copyDashboardAssets() {
  for (const [from, to] of FILES) {
    const source = await readFile(join(root, from))
    const target = join(root, to)
    const current = await readFile(target).catch(() => undefined)
    if (current?.equals(source)) continue
    await mkdir(dirname(target), { recursive: true })
    const temporary = `${target}.${process.pid}.tmp`
    await writeFile(temporary, source)
    await rename(temporary, target)
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await copyDashboardAssets()
