import { Hono } from 'hono'
import type { AdminEnv } from '../../admin/context'
import { jobAccepted } from '../../jobs/start'
import { readBody } from '../../ocpi/body'
import { OcpiError } from '../../ocpi/errors'
import { offerParty } from './handover'
import { ExportPartyRequest, ImportPartyRequest } from './schema'
import { getMigration, listPartyMoves, type PartyMigration, type PartyMoveRow } from './store'
import { takeOverParty } from './takeover'

/** Operators: hand a party over (old platform), take it over (new platform), follow either; CPOs list moves they were told of. */
export const admin = new Hono<AdminEnv>()
  .post('/migrations/export-party', async (c) => c.json(toMigration(await offerParty(c.get('db'), await readBody(c, ExportPartyRequest))), 201))
  .post('/migrations/import-party', async (c) => {
    // The tokens are pulled, the move announced and the tokens re-pushed by a background job (docs/jobs.md).
    const { migration, job } = await takeOverParty(c.env, c.get('db'), await readBody(c, ImportPartyRequest))
    const { job_id, status_url } = jobAccepted(job)
    return c.json({ ...toMigration(migration), job_id, status_url }, 202)
  })
  .get('/migrations/moves', async (c) => c.json((await listPartyMoves(c.get('db'))).map(toMove)))
  .get('/migrations/:id', async (c) => {
    const migration = await getMigration(c.get('db'), c.req.param('id'))
    if (!migration) throw OcpiError.unknownObject('migration')
    return c.json(toMigration(migration))
  })

const toMigration = ({ created_at, updated_at, ...migration }: PartyMigration) => ({
  ...migration,
  created_at: new Date(created_at).toISOString(),
  updated_at: new Date(updated_at).toISOString(),
})

const toMove = ({ moved_at, received_at, ...move }: PartyMoveRow) => ({
  ...move,
  moved_at: new Date(moved_at).toISOString(),
  received_at: new Date(received_at).toISOString(),
})
