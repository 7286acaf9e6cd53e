import type { RunningPlatform } from '../../scripts/wrangler-process.mjs'
import { STARTED_BY_SETUP } from './platforms'
import { launchPlatform } from './platform-process'

const running: RunningPlatform[] = []

export default async function setup() {
  await Promise.all(STARTED_BY_SETUP.map(async (name) => running.push(await launchPlatform(name, { fresh: true }))))
  return async () => {
    await Promise.all(running.map((platform) => platform.stop()))
  }
}
