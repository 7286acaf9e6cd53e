import type { CDR } from '../../ocpi/objects/cdr'
import { tariffForPeer } from '../tariffs/variants'

/**
 * A CDR as a peer sees it: the tariffs it embeds carry `tariff_group_id` only for peers that agreed the multi-currency
 * extension, the same rule as published tariffs (tariffForPeer; docs/interop.md, "Honest objects").
 */
export function cdrForPeer(cdr: CDR, agreed: boolean): CDR {
  if (agreed || !carriesTariffGroups(cdr)) return cdr
  return { ...cdr, tariffs: cdr.tariffs!.map((tariff) => tariffForPeer(tariff, false)) }
}

/** True when a tariff inside the CDR names a tariff group: only then does the CDR differ per peer. */
export const carriesTariffGroups = (cdr: CDR) => cdr.tariffs?.some((tariff) => tariff.tariff_group_id !== undefined) ?? false
