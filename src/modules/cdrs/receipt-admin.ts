import { Hono, type Context } from 'hono'
import type { AdminEnv } from '../../admin/context'
import { parseWith } from '../../ocpi/body'
import { OcpiError } from '../../ocpi/errors'
import { getLocation, OWN_SOURCE } from '../locations/store'
import { z } from 'zod'
import { receiptOf } from './receipt'
import { receiptHtml } from './receipt-html'
import { getCdr } from './store'

/**
 * GET /admin/v1/cdrs/{cc}/{pid}/{id}/receipt: the JSON receipt of a CDR (`Accept: text/html` gives the printable one),
 * and .../receipt.html the printable receipt. `source` as for the CDR itself (received on the MSP side, the default).
 */
export const receiptAdmin = new Hono<AdminEnv>()
  .get('/cdrs/:country_code/:party_id/:cdr_id/receipt', async (c) => {
    const receipt = await receiptFor(c)
    if (prefersHtml(c.req.header('Accept'))) return html(c, receiptHtml(receipt))
    return c.json(receipt)
  })
  .get('/cdrs/:country_code/:party_id/:cdr_id/receipt.html', async (c) => html(c, receiptHtml(await receiptFor(c))))

const ReceiptSource = z.object({ source: z.enum(['own', 'received']).default('received') })

async function receiptFor(c: Context<AdminEnv>) {
  const { source } = parseWith(ReceiptSource, c.req.query())
  const ref = { country_code: c.req.param('country_code')!, party_id: c.req.param('party_id')!, id: c.req.param('cdr_id')! }
  const stored = await getCdr(c.get('db'), source, ref)
  if (!stored) throw new OcpiError(2003, `Unknown ${source} CDR ${ref.id}`)
  // The tariff's times are local to the Location (mod_tariffs); the CDR does not carry its time zone, the Location does.
  const location = await getLocation(c.get('db'), stored.peer_id ?? OWN_SOURCE, ref, stored.cdr.cdr_location.id)
  return receiptOf(stored.cdr, location?.location.time_zone ?? 'UTC')
}

const prefersHtml = (accept: string | undefined) => !!accept && /text\/html/.test(accept) && !/application\/json/.test(accept)

function html(c: Context<AdminEnv>, body: string) {
  // Nothing to load from anywhere: the receipt is one self-contained document.
  c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
  return c.html(body)
}
