import { describe, expect, it } from 'vitest'
import { RegExpRouter } from 'hono/router/reg-exp-router'
import { isManagementPath, managementApp, platformApp } from '../../src/app'

/** Routes RegExpRouter cannot hold together, each with the earlier route it conflicts with. */
function regExpRouterConflicts(routes: { method: string; path: string }[]): string[] {
  const fails = (candidate: { method: string; path: string }[]) => {
    const router = new RegExpRouter<number>()
    try {
      for (const route of candidate) router.add(route.method, route.path, 0)
      router.match('GET', '/')
      return false
    } catch {
      return true
    }
  }
  if (!fails(routes)) return []
  const accepted: { method: string; path: string }[] = []
  const conflicts: string[] = []
  for (const route of routes) {
    if (!fails([...accepted, route])) accepted.push(route)
    else conflicts.push(`${route.method} ${route.path} <-> ${accepted.filter((earlier) => fails([earlier, route])).map((earlier) => `${earlier.method} ${earlier.path}`).join(' | ') || 'several routes'}`)
  }
  return conflicts
}

describe('routing', () => {
  // RegExpRouter matches a path with one regular expression per method; when a route does not fit it, Hono's
  // SmartRouter silently falls back to the trie router for the whole app, which costs a fifth of a cheap request.
  // A route that does not fit puts a static segment beside a parameter at the same position for the same method.
  it('serves every OCPI route with the RegExpRouter', () => {
    expect(regExpRouterConflicts(platformApp.routes)).toEqual([])
  })

  it('keeps the management API apart: its paths need the trie router', () => {
    expect(regExpRouterConflicts(managementApp.routes).length).toBeGreaterThan(0)
    expect(platformApp.routes.some((route) => route.path.startsWith('/admin'))).toBe(false)
  })

  it('sends /admin/v1 and below to the management app, everything else to the platform app', () => {
    for (const url of ['http://h/admin/v1', 'http://h/admin/v1/', 'http://h/admin/v1/peers?x=1', 'https://h:8787/admin/v1?x', 'http://h/admin/v1#f']) expect(isManagementPath(url), url).toBe(true)
    for (const url of ['http://h/', 'http://h/admin', 'http://h/admin/v10', 'http://h/ocpi/versions', 'http://h/ocpi/2.3.0/admin/v1', 'http://h']) expect(isManagementPath(url), url).toBe(false)
  })
})
