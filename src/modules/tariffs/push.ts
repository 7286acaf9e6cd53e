import type { Database } from '../../db/client'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import { wireBodies } from '../../ocpi/version-adapters'
import { SUPPORTED_VERSIONS } from '../../ocpi/versions'
import { peerEndpoint } from '../../peers/extensions'
import { listPeers, type Peer } from '../../peers/store'
import { publish, publishTo } from '../../push/publish'
import type { PushAudience, PushChange } from '../../push/types'
import type { Role } from '../../ocpi/types'
import { isIsoCurrency } from './currencies'
import { tariffForPeer } from './variants'
import { type Tariff } from '../../ocpi/objects/tariff'
import { tariffVersions } from '../../ocpi/objects/version-maps'
import { listOwnNonIsoTariffs, peersAcceptingNonIsoCurrencies } from './store'
import type { SharingPolicy } from '../../ocpi/objects/sharing-policy'
import { mayViewTariff, tariffsChangingVisibility } from './visibility'

/** The peer's party a push is addressed to (OCPI-to): the first of its roles in `roles` order, or none. */
export function addressedRole(peer: Pick<Peer, 'roles'>, roles: readonly Role[]): PartyRef | undefined {
  for (const role of roles) {
    const match = peer.roles.find((candidate) => candidate.role === role)
    if (match) return { country_code: match.country_code, party_id: match.party_id }
  }
  return undefined
}

// mod_tariffs Receiver interface: "Typically implemented by market roles like: eMSP and NSP"; NAPs, payment terminal
// providers (B2.2/B2.3 ad-hoc tariffs) and "Other" (treated as an eMSP type of role in Broadcast Push) too; a hub forwards.
const TARIFF_RECEIVING_ROLES: readonly Role[] = ['EMSP', 'NSP', 'NAP', 'PTP', 'OTHER', 'HUB']

/**
 * Pushes owner writes of tariffs: PUT for every written object, DELETE for every removed one. A tariff in a non-ISO
 * currency goes only to peers that opted in (docs/extensions/multi-currency-tariffs.md), and a tariff used only at
 * locations a peer may not see goes not to that peer (visibility.ts): it never had it, so it gets no DELETE either.
 */
export async function publishTariffChanges(env: Env, db: Database, changes: { written: Tariff[]; removed: Tariff[] }) {
  const needsOptIn = [...changes.written, ...changes.removed].some((tariff) => !isIsoCurrency(tariff.currency) || tariff.tariff_group_id !== undefined)
  const optedIn = needsOptIn ? await peersAcceptingNonIsoCurrencies(db) : new Set<string>()
  /** `agreed`: only the peers that opted in (true), or only the others (false); undefined: both. */
  const audienceFor = (tariff: Tariff, agreed?: boolean): PushAudience => async (peer) => {
    if (agreed !== undefined && optedIn.has(peer.id) !== agreed) return undefined
    if (!isIsoCurrency(tariff.currency) && !optedIn.has(peer.id)) return undefined
    const to = addressedRole(peer, TARIFF_RECEIVING_ROLES)
    return to && (await mayViewTariff(db, peer, tariff)) ? to : undefined
  }
  // A grouped tariff goes out twice: with tariff_group_id to the peers that opted in, without it to the others.
  for (const tariff of changes.written) {
    if (tariff.tariff_group_id === undefined) {
      await publish(env, tariffChange('PUT', tariff), audienceFor(tariff))
      continue
    }
    await publish(env, tariffChange('PUT', tariff), audienceFor(tariff, true))
    await publish(env, tariffChange('PUT', tariffForPeer(tariff, false)), audienceFor(tariff, false))
  }
  for (const tariff of changes.removed) await publish(env, tariffChange('DELETE', tariff), audienceFor(tariff))
}

/**
 * A peer's opt-in changed: it gets every own non-ISO tariff (opted in) or their deletion (opted out), so what it holds
 * matches what it may see, as when a sharing policy changes.
 */
export async function republishNonIsoTariffs(env: Env, db: Database, peer: Peer, accepts: boolean) {
  const to = addressedRole(peer, TARIFF_RECEIVING_ROLES)
  if (!to) return
  for (const tariff of await listOwnNonIsoTariffs(db)) {
    if (await mayViewTariff(db, peer, tariff)) await publishTo(env, peer.id, tariffChange(accepts ? 'PUT' : 'DELETE', tariff), to)
  }
}

/**
 * A CPO's sharing policy changed (locations/policy-change.ts): every peer gets the tariffs it may now see (PUT) and the
 * deletion of those it no longer may (DELETE), as tariff visibility follows the locations (visibility.ts). Tariffs in
 * non-ISO currencies only for peers that opted in, as always.
 */
export async function republishTariffsForPolicy(env: Env, db: Database, party: PartyRef, before: SharingPolicy | null, after: SharingPolicy) {
  const optedIn = await peersAcceptingNonIsoCurrencies(db)
  for (const peer of await listPeers(db)) {
    const to = (peer.status === 'CONNECTED' || peer.status === 'OFFLINE') && peerEndpoint(peer, 'tariffs', 'RECEIVER') ? addressedRole(peer, TARIFF_RECEIVING_ROLES) : undefined
    if (!to) continue
    for (const { tariff, visible } of await tariffsChangingVisibility(db, peer, party, before, after)) {
      if (isIsoCurrency(tariff.currency) || optedIn.has(peer.id)) await publishTo(env, peer.id, tariffChange(visible ? 'PUT' : 'DELETE', tariffForPeer(tariff, optedIn.has(peer.id))), to)
    }
  }
}

function tariffChange(method: 'PUT' | 'DELETE', tariff: Tariff): PushChange {
  const party = { country_code: tariff.country_code.toUpperCase(), party_id: tariff.party_id.toUpperCase() }
  return {
    module: 'tariffs',
    method,
    path: [party.country_code, party.party_id, tariff.id],
    bodies: method === 'PUT' ? wireBodies(tariffVersions, tariff) : Object.fromEntries(SUPPORTED_VERSIONS.map((version) => [version, null])),
    from: party,
    objectKey: `tariffs/${party.country_code}/${party.party_id}/${tariff.id}`,
  }
}
