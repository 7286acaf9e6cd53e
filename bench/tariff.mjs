// `npm run bench:tariff`: only the tariff engine row, in-process (no platforms). Its result goes into
// bench/results.json under scenarios.tariff; every other key already there is kept.
import { readFile, writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { tariffScenario } from './scenarios/tariff.mjs'

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false } } })
const log = (message) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`)
const result = await tariffScenario({ parameters: { quick: flags.quick }, log })
for (const figure of result.figures) console.log(`tariff: ${figure}`)

const file = new URL('./results.json', import.meta.url)
const results = JSON.parse(await readFile(file, 'utf8').catch(() => '{}'))
results.scenarios = { ...results.scenarios, tariff: { ...result, measured_at: new Date().toISOString(), node: process.version } }
await writeFile(file, `${JSON.stringify(results, null, 2)}\n`)
console.log('wrote scenarios.tariff to bench/results.json')
