export const SUPPORTED_VERSIONS = ['2.3.0', '2.2.1', '2.1.1'] as const
export type OcpiVersion = (typeof SUPPORTED_VERSIONS)[number]

export function isSupportedVersion(value: string): value is OcpiVersion {
  return (SUPPORTED_VERSIONS as readonly string[]).includes(value)
}

/**
 * Versions this deployment offers, preferred first (OCPI_VERSIONS, default all supported). Every versioned request
 * asks, so the list is kept per setting instead of parsed again.
 */
export function offeredVersions(env: { OCPI_VERSIONS?: string }): readonly OcpiVersion[] {
  const setting = env.OCPI_VERSIONS ?? ''
  let offered = offeredBySetting.get(setting)
  if (!offered) {
    const configured = setting.split(',').map((version) => version.trim()).filter(isSupportedVersion)
    offered = Object.freeze(configured.length > 0 ? configured : [...SUPPORTED_VERSIONS])
    if (offeredBySetting.size < 16) offeredBySetting.set(setting, offered)
  }
  return offered
}
const offeredBySetting = new Map<string, readonly OcpiVersion[]>()

/** The best version both sides offer, in our order of preference, or undefined when there is none. */
export function pickMutualVersion(ours: readonly OcpiVersion[], theirs: readonly string[]): OcpiVersion | undefined {
  return ours.find((version) => theirs.includes(version))
}

/** The versions of modules and objects 2.1.1 does not define (hubclientinfo, custom modules...). */
export const VERSIONS_FROM_221: readonly OcpiVersion[] = ['2.3.0', '2.2.1']
