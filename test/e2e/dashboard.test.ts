import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyDashboardAssets } from '../../scripts/dashboard-assets.mjs'
import { seedDemo } from '../../scripts/seed.mjs'
import { Platform, unique } from './harness'
import { startPlatform, stopPlatform } from './platform-process'
import { E2E_ADMIN_TOKEN } from './platforms'

// The operator dashboard (/admin) in a real headless Chromium (Debian's `chromium` package), against a platform seeded
// with the demo data as `npm start` seeds it. DASHBOARD_SCREENSHOT=<path> also saves a screenshot (docs/dashboard.png).

const CHROMIUM = '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)
if (!hasChromium) console.warn(`Skipping the dashboard browser test: ${CHROMIUM} is missing (apt-get install chromium).`)

const d = new Platform('d')

describe.skipIf(!hasChromium)('operator dashboard in headless Chromium', () => {
  let userDataDir: string
  let context: BrowserContext
  let page: Page
  const cspViolations: string[] = []

  beforeAll(async () => {
    await copyDashboardAssets()
    await startPlatform('d', { fresh: true })
    await seedDemo(d.url, E2E_ADMIN_TOKEN)
    userDataDir = mkdtempSync(join(tmpdir(), 'ocpi-edge-chromium-'))
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1300 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    page = context.pages()[0] ?? (await context.newPage())
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text())
    })
  }, 180_000)

  afterAll(async () => {
    await context?.close()
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true })
    await stopPlatform('d')
  })

  it('loads from the worker with a strict CSP, the map library served by the platform itself', async () => {
    const response = await page.goto(`${d.url}/admin/`)
    expect(response?.status()).toBe(200)
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'")
    await expect.poll(() => page.locator('#sign-in').isVisible()).toBe(true)
    expect(await page.evaluate(() => typeof (window as unknown as { L?: unknown }).L)).toBe('object')
    expect((await fetch(`${d.url}/admin/vendor/leaflet.js`)).status).toBe(200)
  })

  it('rejects a wrong token with a clear error and shows no data', async () => {
    await page.fill('#token', 'not-the-admin-token')
    await page.click('#sign-in button[type=submit]')
    await expect.poll(() => page.locator('#sign-in-error').textContent()).toContain('admin token was refused')
    expect(await page.locator('#dashboard').isVisible()).toBe(false)
    expect(await page.locator('#peers tbody tr').count()).toBe(0)
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
  })

  it('signs in and shows the seeded demo: peers, locations on the map, sessions', async () => {
    await page.fill('#token', E2E_ADMIN_TOKEN)
    await page.click('#sign-in button[type=submit]')
    await expect.poll(() => page.locator('#peers tbody').textContent(), { timeout: 15_000 }).toContain('demo loopback')
    expect(await page.locator('#peers tbody').textContent()).toContain('CONNECTED')
    await expect.poll(() => page.locator('#locations tbody tr').count()).toBe(8)
    expect(await page.locator('#locations tbody').textContent()).toContain('ECO-0001')
    expect(await page.locator('#map .leaflet-interactive').count()).toBeGreaterThanOrEqual(8)
    expect(await page.locator('#evse-summary').textContent()).toMatch(/8 locations · 1 out of order/)
    await expect.poll(() => page.locator('#sessions tbody').textContent()).toContain('ECO-S-0001')
    expect(await page.locator('#sessions tbody').textContent()).toContain('10.50 kWh')
    await expect.poll(() => page.locator('#audit tbody tr').count()).toBeGreaterThan(0)
  })

  it('shows writes made through the management API without a reload', { timeout: 120_000 }, async () => {
    await page.evaluate(() => ((window as unknown as { notReloaded?: boolean }).notReloaded = true))
    const chip = page.locator('[data-evse="ECO-0001/E0001-1"]')
    expect(await chip.textContent()).toContain('AVAILABLE')
    await d.admin('PATCH', '/locations/NL/ECO/ECO-0001/E0001-1', { status: 'OUTOFORDER' })
    const name = unique('dashboard peer ')
    await d.admin('POST', '/peers/invite', { name })
    await expect.poll(() => chip.textContent(), { timeout: 15_000 }).toContain('OUTOFORDER')
    await expect.poll(() => page.locator('#peers tbody').textContent(), { timeout: 15_000 }).toContain(name)

    // A charge started from the demo eMSP (README), a policy change (a background job): live session, command, job.
    const loopback = (await d.admin<{ name: string; peer_id: string }[]>('GET', '/peers')).find((peer) => peer.name === 'demo loopback')!
    await d.admin('POST', `/commands/${loopback.peer_id}/START_SESSION?to=NL*ECO`, {
      location_id: 'ECO-0002', evse_uid: 'E0002-1',
      token: { country_code: 'DE', party_id: 'VMS', uid: 'a3c1e5f0-7b2d-4e8a-9c6f-1d2e3f4a5b6c', type: 'APP_USER', contract_id: 'DE-VMS-C00000055-6',
        issuer: 'VoltMobility Services GmbH', valid: true, whitelist: 'NEVER', last_updated: '2026-01-08T07:45:00Z' },
    })
    await d.admin('PUT', '/policies/NL/ECO', { default: 'all' })
    await expect.poll(() => page.locator('#commands tbody').textContent(), { timeout: 15_000 }).toContain('START_SESSION')
    await expect.poll(() => page.locator('#sessions tbody').textContent(), { timeout: 30_000 }).toContain('ACTIVE')
    await expect.poll(() => page.locator('[data-evse="ECO-0002/E0002-1"]').textContent(), { timeout: 15_000 }).toContain('CHARGING')
    await expect.poll(() => page.locator('#jobs tbody tr[data-job]').count(), { timeout: 15_000 }).toBeGreaterThan(0)
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)
    expect(cspViolations).toEqual([])
    const screenshot = process.env.DASHBOARD_SCREENSHOT
    if (screenshot) {
      await page.waitForTimeout(6_000) // a few meter values into the charge
      await page.screenshot({ path: screenshot, fullPage: true })
    }
  })

  it('goes back to the sign-in form when the token stops being accepted', async () => {
    await page.evaluate(() => sessionStorage.setItem('ocpi-edge.admin-token', 'revoked'))
    await expect.poll(() => page.locator('#sign-in-error').textContent(), { timeout: 15_000 }).toContain('admin token was refused')
    expect(await page.locator('#dashboard').isVisible()).toBe(false)
  })
})
