import { Hono } from 'hono'
import type { OcpiEnv } from '../../ocpi/context'

// Filled in by the credentials work: GET/POST/PUT/DELETE per credentials.asciidoc.
export const credentials = new Hono<OcpiEnv>()
