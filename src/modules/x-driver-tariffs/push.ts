import type { Env } from '../../env'
import { wireBodies } from '../../ocpi/version-adapters'
import { SUPPORTED_VERSIONS } from '../../ocpi/versions'
import { publish } from '../../push/publish'
import { addressedRole } from '../tariffs/push'
import { driverTariffVersions, type DriverTariff } from '../../ocpi/objects/driver-tariff'
import { X_DRIVER_TARIFFS } from './module-id'

/** Pushes an owner write to every CPO peer (or hub) that offers an x-driver-tariffs receiver. */
export async function publishDriverTariffChange(env: Env, method: 'PUT' | 'DELETE', tariff: DriverTariff) {
  const party = { country_code: tariff.country_code.toUpperCase(), party_id: tariff.party_id.toUpperCase() }
  const bodies = method === 'PUT' ? wireBodies(driverTariffVersions, tariff) : Object.fromEntries(SUPPORTED_VERSIONS.map((version) => [version, null]))
  await publish(env, {
    module: X_DRIVER_TARIFFS,
    method,
    path: [party.country_code, party.party_id, tariff.token_uid],
    bodies,
    from: party,
    objectKey: `${X_DRIVER_TARIFFS}/${party.country_code}/${party.party_id}/${tariff.token_uid}`,
  }, (peer) => addressedRole(peer, ['CPO', 'HUB']))
}
