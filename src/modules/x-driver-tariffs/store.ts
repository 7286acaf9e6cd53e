import { and, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { objectPage } from '../../db/paging'
import { driverTariffs } from '../../db/schema'
import type { PartyRef } from '../../ocpi/context'
import type { Page, PageQuery } from '../../ocpi/paging'
import { toEpochMs } from '../../ocpi/types'
import type { DriverTariff } from '../../ocpi/objects/driver-tariff'

export type DriverTariffRow = typeof driverTariffs.$inferSelect

/** `CC*PID*TOKEN_UID` upper-cased (CiStrings). */
export const driverTariffKey = (party: PartyRef, tokenUid: string) => `${party.country_code}*${party.party_id}*${tokenUid}`.toUpperCase()

const rowOf = (tariff: DriverTariff, peerId: string | null): DriverTariffRow => ({
  key: driverTariffKey(tariff, tariff.token_uid),
  country_code: tariff.country_code.toUpperCase(),
  party_id: tariff.party_id.toUpperCase(),
  token_uid: tariff.token_uid,
  peer_id: peerId,
  last_updated: toEpochMs(tariff.last_updated),
  object: tariff,
})

export async function listDriverTariffs(db: Database, page: PageQuery, filter: { source: 'own' | 'received'; peerId?: string; party?: PartyRef }): Promise<Page<DriverTariff>> {
  const where = and(
    filter.source === 'own' ? isNull(driverTariffs.peer_id) : filter.peerId ? eq(driverTariffs.peer_id, filter.peerId) : isNotNull(driverTariffs.peer_id),
    filter.party ? eq(driverTariffs.country_code, filter.party.country_code.toUpperCase()) : undefined,
    filter.party ? eq(driverTariffs.party_id, filter.party.party_id.toUpperCase()) : undefined,
  )
  return objectPage<DriverTariff>(db, driverTariffs, where, page, ['driver_tariffs'])
}

export async function findDriverTariff(db: Database, party: PartyRef, tokenUid: string): Promise<DriverTariffRow | undefined> {
  const [row] = await db.select().from(driverTariffs).where(eq(driverTariffs.key, driverTariffKey(party, tokenUid))).limit(1)
  return row
}

const upsertSet = {
  token_uid: sql`excluded.token_uid`,
  peer_id: sql`excluded.peer_id`,
  last_updated: sql`excluded.last_updated`,
  object: sql`excluded.object`,
}

export async function putOwnDriverTariff(db: Database, tariff: DriverTariff) {
  await db.insert(driverTariffs).values(rowOf(tariff, null)).onConflictDoUpdate({ target: driverTariffs.key, set: upsertSet })
}

/** Stores a pushed driver tariff unless ours or newer (conditional upsert: concurrent pushes cannot race). */
export async function putReceivedDriverTariff(db: Database, peerId: string, tariff: DriverTariff): Promise<'stored' | 'stale' | 'not_owned'> {
  const row = rowOf(tariff, peerId)
  const written = await db.insert(driverTariffs).values(row)
    .onConflictDoUpdate({ target: driverTariffs.key, set: upsertSet, setWhere: and(isNotNull(driverTariffs.peer_id), lte(driverTariffs.last_updated, row.last_updated)) })
    .returning({ key: driverTariffs.key })
  if (written.length) return 'stored'
  return (await findDriverTariff(db, tariff, tariff.token_uid))?.peer_id === null ? 'not_owned' : 'stale'
}

/** Deletes an own (peerId null) or received driver tariff; the deleted object, or undefined when there was none. */
export async function deleteDriverTariff(db: Database, peerId: string | null, party: PartyRef, tokenUid: string): Promise<DriverTariff | undefined> {
  const [deleted] = await db.delete(driverTariffs)
    .where(and(eq(driverTariffs.key, driverTariffKey(party, tokenUid)), peerId === null ? isNull(driverTariffs.peer_id) : eq(driverTariffs.peer_id, peerId)))
    .returning({ object: driverTariffs.object })
  return deleted?.object
}
