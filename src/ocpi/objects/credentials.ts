import { z } from 'zod'
import { CiString, Role, URL } from '../types'
import { BusinessDetails, BusinessDetails221, businessDetailsTo221 } from './business-details'
import type { OcpiVersion } from '../versions'

/** "only printable non-whitespace ASCII characters" (credentials.asciidoc, Credentials object). */
export const CredentialsToken = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\x21-\x7E]+$/, 'Only printable non-whitespace ASCII characters allowed')

export const CredentialsRole = z.object({ role: Role, business_details: BusinessDetails, party_id: CiString(3), country_code: CiString(2) })
export type CredentialsRole = z.infer<typeof CredentialsRole>
const CredentialsRole221 = CredentialsRole.extend({ business_details: BusinessDetails221 })

/** "Every role needs a unique combination of: role, party_id and country_code." */
const uniqueRoles = <Role extends z.ZodType<CredentialsRole>>(role: Role) => z.array(role).min(1).superRefine((roles, context) => {
  const seen = new Set<string>()
  roles.forEach((role, index) => {
    const key = `${role.role}:${role.country_code.toUpperCase()}*${role.party_id.toUpperCase()}`
    if (seen.has(key)) context.addIssue({ code: 'custom', path: [index], message: `Duplicate role ${key}` })
    seen.add(key)
  })
})

/** Canonical (2.3.0): hub_party_id is new in 2.3.0 ("Add new field in Credentials to give hub party ID"). */
export const Credentials = z.object({
  token: CredentialsToken,
  url: URL,
  hub_party_id: CiString(5).optional(),
  roles: uniqueRoles(CredentialsRole),
})
export type Credentials = z.infer<typeof Credentials>

export const Credentials221 = Credentials.omit({ hub_party_id: true }).extend({ roles: uniqueRoles(CredentialsRole221) })
export type Credentials221 = z.infer<typeof Credentials221>

/**
 * 2.1.1 (credentials.md, "Credentials object"): one party per connection, at the top level, and no role: which side a
 * party is on follows from the connection (src/peers/one-party-connection.ts). BusinessDetails and Image are the
 * 2.2.1 ones (mod_locations.md, "BusinessDetails class": name, website, logo).
 */
export const Credentials211 = z.object({
  token: CredentialsToken,
  url: URL,
  business_details: BusinessDetails221,
  party_id: CiString(3),
  country_code: CiString(2),
})
export type Credentials211 = z.infer<typeof Credentials211>

export const credentialsSchemas = { '2.3.0': Credentials, '2.2.1': Credentials221, '2.1.1': Credentials211 } as const satisfies Record<OcpiVersion, z.ZodType>

/** A 2.1.1 Credentials object as canonical, its one party in the role the connection implies. */
export const credentialsFrom211 = (credentials: Credentials211, role: Role): Credentials => ({
  token: credentials.token,
  url: credentials.url,
  roles: [{ role, business_details: credentials.business_details, party_id: credentials.party_id, country_code: credentials.country_code }],
})

/**
 * The Credentials object in a version's shape: 2.2.1 has no hub_party_id; 2.1.1 names one party, `roles[0]` (the
 * caller passes only the party the connection is with).
 */
export function credentialsFor(version: OcpiVersion, credentials: Credentials): Credentials | Credentials221 | Credentials211 {
  if (version === '2.3.0') return credentials
  const { hub_party_id: _dropped, ...rest } = credentials
  const roles = rest.roles.map((role) => ({ ...role, business_details: businessDetailsTo221(role.business_details) }))
  if (version === '2.2.1') return { ...rest, roles }
  const [party] = roles
  if (!party) throw new Error('2.1.1 credentials need one party')
  return { token: rest.token, url: rest.url, business_details: party.business_details, party_id: party.party_id, country_code: party.country_code }
}

// Versions module (version_information_endpoint.asciidoc): VersionNumber and ModuleID are OpenEnums in 2.3.0, so any
// string is read; only the versions we support are ever chosen.
export const Version = z.object({ version: z.string(), url: URL })
export type Version = z.infer<typeof Version>

export const Endpoint = z.object({ identifier: z.string().min(1), role: z.enum(['SENDER', 'RECEIVER']), url: URL })
export type Endpoint = z.infer<typeof Endpoint>

export const VersionDetails = z.object({ version: z.string(), endpoints: z.array(Endpoint).min(1) })
export type VersionDetails = z.infer<typeof VersionDetails>

/** 2.1.1 (version_information_endpoint.md, "Endpoint class"): identifier and url, no role. */
export const Endpoint211 = z.object({ identifier: z.string().min(1), url: URL })
export type Endpoint211 = z.infer<typeof Endpoint211>
export const VersionDetails211 = z.object({ version: z.string(), endpoints: z.array(Endpoint211).min(1) })
export type VersionDetails211 = z.infer<typeof VersionDetails211>
