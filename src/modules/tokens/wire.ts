import type { Context } from 'hono'
import type { OcpiEnv } from '../../ocpi/context'
import { OcpiError } from '../../ocpi/errors'
import { TokenType, TokenType221 } from './schema'

/** The `type` URL parameter in the peer's version (2.2.1: closed enum; 2.3.0: OpenEnum), or undefined when omitted. */
export function tokenTypeQuery(c: Context<OcpiEnv>): string | undefined {
  const value = c.req.query('type')
  if (value === undefined || value === '') return undefined
  const parsed = (c.var.version === '2.2.1' ? TokenType221 : TokenType).safeParse(value.toUpperCase())
  if (!parsed.success) throw new OcpiError(2001, `type: ${value} is not a TokenType in OCPI ${c.var.version}`, { path: 'type' })
  return parsed.data
}

/** Tokens are shared with CPOs (and hubs that serve them), never with other eMSPs (mod_tokens: "gives CPOs knowledge"). */
export function assertMayReceiveTokens(c: Context<OcpiEnv>) {
  if (!c.var.peer.roles.some((role) => role.role === 'CPO' || role.role === 'HUB')) {
    throw new OcpiError(2000, 'Tokens are shared with CPO and hub peers only')
  }
}
