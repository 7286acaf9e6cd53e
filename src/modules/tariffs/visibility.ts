import type { Database } from '../../db/client'
import type { PartyRef } from '../../ocpi/context'
import { listHostedParties } from '../../peers/parties'
import { visibilityFor, type PartyView, type SharingPolicy, type Viewer } from '../../ocpi/objects/sharing-policy'
import { partyViews } from '../locations/policy-store'
import type { Tariff } from '../../ocpi/objects/tariff'
import { ownTariffsChangingVisibility, ownTariffVisible, type TariffIds } from './store'

// Who sees which own tariff (docs/tariffs.md, "Who sees which tariff"): a tariff follows the locations that use it, so
// a peer never learns the prices of charge points the sharing policy (B1.5) hides from it. The rule itself is a
// condition of the tariffs store (lists, single objects and pushes alike); this file finds the views it applies to.

/** What one peer may see of each hosted CPO party (or only of `parties`), under the current sharing policies. */
export const peerViews = (db: Database, viewer: Viewer, parties?: PartyRef[]): Promise<PartyView[]> => partyViews(db, viewer, parties ?? cposHosted(db))

const cposHosted = async (db: Database) => (await listHostedParties(db)).filter((party) => party.role === 'CPO')

/** Whether the peer may see one own tariff, stored or just deleted (a DELETE goes only to peers that could see it). */
export async function mayViewTariff(db: Database, viewer: Viewer, tariff: TariffIds): Promise<boolean> {
  const party = { country_code: tariff.country_code.toUpperCase(), party_id: tariff.party_id.toUpperCase() }
  return ownTariffVisible(db, await peerViews(db, viewer, [party]), { ...tariff, ...party })
}

/**
 * A party's sharing policy changed from `before` (null: none was set) to `after`: its own tariffs whose visibility for
 * `viewer` differs, each with whether the viewer may now see it.
 */
export function tariffsChangingVisibility(
  db: Database, viewer: Viewer, party: PartyRef, before: SharingPolicy | null, after: SharingPolicy,
): Promise<Array<{ tariff: Tariff; visible: boolean }>> {
  const underPolicy = (policy: SharingPolicy | null) => [{ party, visibility: visibilityFor(policy ?? undefined, viewer) }]
  return ownTariffsChangingVisibility(db, party, underPolicy(before), underPolicy(after))
}
