import type { MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AdminEnv } from './context'

const encoder = new TextEncoder()
const sha256 = async (value: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)))

/**
 * Authorization: Bearer <ADMIN_TOKEN>. Both sides are hashed first and the 32-byte digests compared in constant time,
 * so neither the token's contents nor its length show in how long a refusal takes (a plain comparison returns early
 * at the first differing length or byte).
 */
export function requireAdminToken(): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const expected = c.env.ADMIN_TOKEN
    const presented = /^Bearer\s+(.+)$/i.exec(c.req.header('Authorization') ?? '')?.[1] ?? ''
    const [left, right] = await Promise.all([sha256(presented), sha256(expected ?? '')])
    const same = crypto.subtle.timingSafeEqual(left, right)
    if (!expected || !presented || !same) throw new HTTPException(401, { message: 'Invalid admin token' })
    await next()
  }
}
