import { publicBase } from '../../ocpi/urls'
import { Hono, type Context } from 'hono'
import { parseWith, readJson, readText } from '../../ocpi/body'
import type { OcpiEnv } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { OcpiError } from '../../ocpi/errors'
import { assertPeerRepresents } from '../../peers/routing'
import { auditGdpr } from './audit'
import { readExport } from './export-store'
import { pseudonymOf } from './pseudonym'
import { accessPersonalData, forgetPersonalData } from './requests'
import { GdprRequestBody, GdprSubject } from './schema'

/**
 * x-gdpr, RECEIVER interface: implemented by the platform that holds data about other parties' tokens (the CPO). An
 * eMSP peer asks only about tokens of a party it represents; anything else is refused with 2001 before any lookup, so
 * the answer never tells whether this platform holds data about someone else's token.
 */
export const receiver = new Hono<OcpiEnv>()
  .post('/:country_code/:party_id/:uid/access', async (c) => {
    const { subject, request_id } = await readRequest(c)
    const exportBaseUrl = `${publicBase(c.env)}/ocpi/${c.get('version')}/receiver/x-gdpr`
    return respond(c, await accessPersonalData(c.get('db'), c.env, subject, { peerId: c.get('peer').id, request_id, exportBaseUrl }))
  })
  .post('/:country_code/:party_id/:uid/forget', async (c) => {
    const { subject, request_id } = await readRequest(c)
    return respond(c, await forgetPersonalData(c.get('db'), c.env, subject, { peerId: c.get('peer').id, request_id }))
  })
  .get('/exports/:export_id', async (c) => {
    const document = await readExport(c.get('db'), c.env.BUNDLES, c.get('peer').id, c.req.param('export_id'))
    // Another peer's export, an expired one and one that never existed look the same.
    if (!document) throw OcpiError.unknownObject('export')
    await auditGdpr(c.get('db'), { actor: `peer:${c.get('peer').id}`, action: 'gdpr.export.download', pseudonym: await pseudonymOf(c.env.GDPR_PSEUDONYM_KEY, document.subject), detail: { export_id: document.export_id } })
    return respond(c, document)
  })

async function readRequest(c: Context<OcpiEnv>) {
  const subject = parseWith(GdprSubject, { ...c.req.param(), ...(c.req.query('type') ? { type: c.req.query('type') } : {}) })
  assertPeerRepresents(c, subject, 'EMSP')
  // The body is optional; Hono caches it, so readJson parses the same text.
  const body = (await readText(c)).trim() === '' ? {} : parseWith(GdprRequestBody, await readJson(c))
  return { subject, request_id: body.request_id }
}
