import { Hono } from 'hono'
import type { AdminEnv } from './context'

// Filled in by the credentials work: invite, connect, list, get, renew, delete.
export const peersAdmin = new Hono<AdminEnv>()
