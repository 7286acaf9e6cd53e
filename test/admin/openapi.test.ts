import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { admin } from '../../src/app/admin'
import { adminOperations } from '../../src/app/openapi'
import { adminFetch } from '../ocpi/fixtures'

const routed = [...new Set(admin.routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method} ${route.path}`))].sort()
const fromOpenApi = (path: string) => path.replace(/\{(\w+)\}/g, ':$1')

describe('GET /admin/v1/openapi.json', () => {
  it('documents every management route, and nothing that is not routed', () => {
    expect(Object.keys(adminOperations).sort()).toEqual(routed)
  })

  it('serves the document, generated from the zod schemas, to the operator only', async () => {
    const response = await adminFetch('/openapi.json')
    expect(response.status).toBe(200)
    const document = await response.json<{ openapi: string; servers: { url: string }[]; paths: Record<string, Record<string, any>> }>()
    expect(document.openapi).toBe('3.1.0')
    expect(document.servers[0]!.url).toMatch(/\/admin\/v1$/)
    const served = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${fromOpenApi(path)}`))
    expect(served.sort()).toEqual(routed)
    const location = document.paths['/locations/{country_code}/{party_id}/{location_id}']!.put.requestBody.content['application/json'].schema
    expect(location.required).toEqual(expect.arrayContaining(['country_code', 'party_id', 'id', 'coordinates']))
    expect(location.properties.id).toMatchObject({ type: 'string', maxLength: 36 })
    expect(document.paths['/peers/{peer_id}']!.get.parameters).toEqual([{ name: 'peer_id', in: 'path', required: true, schema: { type: 'string' } }])

    const anonymous = await exports.default.fetch(new Request('http://localhost/admin/v1/openapi.json'))
    expect(anonymous.status).toBe(401)
  })
})
