export const SUPPORTED_VERSIONS = ['2.3.0', '2.2.1', '2.1.1'] as const
export type OcpiVersion = (typeof SUPPORTED_VERSIONS)[number]

export function isSupportedVersion(value: string): value is OcpiVersion {
  return (SUPPORTED_VERSIONS as readonly string[]).includes(value)
}

/** Versions this deployment offers, preferred first (OCPI_VERSIONS, default all supported). */
export function offeredVersions(env: { OCPI_VERSIONS?: string }): OcpiVersion[] {
  const configured = (env.OCPI_VERSIONS ?? '').split(',').map((version) => version.trim()).filter(isSupportedVersion)
  return configured.length > 0 ? configured : [...SUPPORTED_VERSIONS]
}

/** The best version both sides offer, in our order of preference, or undefined when there is none. */
export function pickMutualVersion(ours: readonly OcpiVersion[], theirs: readonly string[]): OcpiVersion | undefined {
  return ours.find((version) => theirs.includes(version))
}

/** The versions of modules and objects 2.1.1 does not define (hubclientinfo, custom modules...). */
export const VERSIONS_FROM_221: readonly OcpiVersion[] = ['2.3.0', '2.2.1']
