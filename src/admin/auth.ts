import type { MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { constantTimeEqual } from '../ocpi/auth'
import type { AdminEnv } from './context'

/** Authorization: Bearer <ADMIN_TOKEN>, compared in constant time. */
export function requireAdminToken(): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const expected = c.env.ADMIN_TOKEN
    const presented = /^Bearer\s+(.+)$/i.exec(c.req.header('Authorization') ?? '')?.[1]
    if (!expected || !presented || !constantTimeEqual(presented, expected)) throw new HTTPException(401, { message: 'Invalid admin token' })
    await next()
  }
}
