import type { Database } from '../../db/client'
import type { PeerContext, PartyRef } from '../../ocpi/context'
import { visibilityFor, type Viewer, type Visibility } from '../../ocpi/objects/sharing-policy'
import { listPolicies, policyKey } from '../locations/policy-store'
import { peerAcceptsNonIsoCurrencies } from '../tariffs/store'
import type { FeedModule } from './sources'

// Which feeds exist, and who may download them (docs/extensions/x-feeds.md, "Who gets which feed").
//
// A feed is built for one audience: the view a sharing policy (B1.5) gives "every published location of the party",
// which is what a party without a policy (or with `default: 'all'`) shows every peer, and what aggregators and NAPs get
// in practice. A peer is served a feed only when what it may see equals that view exactly: a feed holding more would
// leak, one holding less would silently drop objects. Every other view (an id list, a role grant adding ids, `none`)
// has to pull page by page, where the policy is applied per request. Building one snapshot per distinct view would
// multiply the work by the number of distinct policies for the few peers that have one.

/** The one audience feeds are built for. */
export const PUBLISHED_AUDIENCE = 'published'
export const PUBLISHED_VIEW: Visibility = { published: true, ids: new Set() }

const isPublishedView = (visibility: Visibility) => visibility.published && visibility.ids.size === 0

export type FeedRefusal = string

/**
 * Decides, for one peer, why it may not use a party's feed of a module (undefined: it may). Reads the policies and the
 * peer's currency opt-in once, for a whole list. Tariffs also follow the opt-in to non-ISO currencies: the feed holds
 * ISO-currency tariffs only, as every peer that did not opt in sees them.
 */
export async function feedAccessOf(db: Database, peer: PeerContext): Promise<(party: PartyRef, module: FeedModule) => FeedRefusal | undefined> {
  const [policies, acceptsNonIso] = await Promise.all([listPolicies(db), peerAcceptsNonIsoCurrencies(db, peer.id)])
  return (party, module) => {
    const view = visibilityFor(policies.get(policyKey(party)), peer)
    if (!isPublishedView(view)) return `The data-sharing policy of ${party.country_code}*${party.party_id} gives you a view no feed is built for; pull /${module} page by page`
    if (module === 'tariffs' && acceptsNonIso) return 'You receive tariffs in non-ISO currencies, which feeds leave out; pull /tariffs page by page'
    return undefined
  }
}

/**
 * Decides whether any of these viewers (the peers agreed to x-feeds) would be served a party's feeds: else none is
 * built. Reads the policies once, for every party of a build.
 */
export async function partiesWithAudience(db: Database, viewers: readonly Viewer[]): Promise<(party: PartyRef) => boolean> {
  const policies = await listPolicies(db)
  return (party) => viewers.some((viewer) => isPublishedView(visibilityFor(policies.get(policyKey(party)), viewer)))
}
