import { adapterFor, type VersionAdapters } from '../version-adapters'
import type { OcpiVersion } from '../versions'
import { connectorPatchVersionsFrom221, connectorVersionsFrom221, evsePatchVersionsFrom221, evseVersionsFrom221, locationPatchVersionsFrom221, locationVersionsFrom221, type Connector, type ConnectorPatch, type EVSE, type EVSEPatch, type Location, type LocationPatch } from './location'
import { tariffVersionsFrom221, type Tariff } from './tariff'
import { ALLOWED_COUNTRIES_FIELD, LocationReferences, authorizationInfoVersionsFrom221, tokenPatchVersionsFrom221, tokenVersionsFrom221, type AuthorizationInfo, type Token, type TokenPatch } from './token'
import { connector211, connectorPatch211, evse211, evsePatch211, location211, locationPatch211 } from './v211/location'
import { tariff211 } from './v211/tariff'
import { authorizationInfo211, locationReferences211, token211, tokenPatch211 } from './v211/token'
import { session211, sessionPatch211 } from './v211/session'
import { cdr211 } from './v211/cdr'
import { sessionPatchVersionsFrom221, sessionVersionsFrom221, type Session, type SessionPatch } from './session'
import { cdrVersionsFrom221, type CDR } from './cdr'
import { commandResponseVersionsFrom221, commandResultVersionsFrom221, commandVersionsFrom221, type CommandBodies, type CommandBody, type CommandResponse, type CommandResult, type CommandType } from './command'
import { commandResponse211, commandResult211, reserveNow211, startSession211, stopSession211, unlockConnector211 } from './v211/command'

// Every object's adapters in every version, 2.1.1 included. They are joined here, not in each object's file, because
// the 2.1.1 adapters (./v211/) build on the canonical schemas: a canonical file importing them back would be a cycle.

export const locationVersions: VersionAdapters<Location> = { ...locationVersionsFrom221, '2.1.1': location211 }
export const evseVersions: VersionAdapters<EVSE> = { ...evseVersionsFrom221, '2.1.1': evse211 }
export const connectorVersions: VersionAdapters<Connector> = { ...connectorVersionsFrom221, '2.1.1': connector211 }
export const locationPatchVersions: VersionAdapters<LocationPatch> = { ...locationPatchVersionsFrom221, '2.1.1': locationPatch211 }
export const evsePatchVersions: VersionAdapters<EVSEPatch> = { ...evsePatchVersionsFrom221, '2.1.1': evsePatch211 }
export const connectorPatchVersions: VersionAdapters<ConnectorPatch> = { ...connectorPatchVersionsFrom221, '2.1.1': connectorPatch211 }
export const tariffVersions: VersionAdapters<Tariff> = { ...tariffVersionsFrom221, '2.1.1': tariff211 }
export const tokenVersions: VersionAdapters<Token> = { ...tokenVersionsFrom221, '2.1.1': token211 }
export const tokenPatchVersions: VersionAdapters<TokenPatch> = { ...tokenPatchVersionsFrom221, '2.1.1': tokenPatch211 }
export const authorizationInfoVersions: VersionAdapters<AuthorizationInfo> = { ...authorizationInfoVersionsFrom221, '2.1.1': authorizationInfo211 }
/** LocationReferences of a real-time authorization: the same in 2.2.1 and 2.3.0; 2.1.1 adds connector_ids. */
export const locationReferencesVersions: VersionAdapters<LocationReferences> = {
  '2.3.0': { schema: LocationReferences, toCanonical: (references: LocationReferences) => references, fromCanonical: (references: LocationReferences) => references },
  '2.2.1': { schema: LocationReferences, toCanonical: (references: LocationReferences) => references, fromCanonical: (references: LocationReferences) => references },
  '2.1.1': locationReferences211,
}
export const sessionVersions: VersionAdapters<Session> = { ...sessionVersionsFrom221, '2.1.1': session211 }
export const sessionPatchVersions: VersionAdapters<SessionPatch> = { ...sessionPatchVersionsFrom221, '2.1.1': sessionPatch211 }
export const cdrVersions: VersionAdapters<CDR> = { ...cdrVersionsFrom221, '2.1.1': cdr211 }

/** Each command's body in every version; CANCEL_RESERVATION has none in 2.1.1 (mod_commands.md of 2.1.1, 4.2). */
export const commandVersions: { [command in CommandType]: VersionAdapters<CommandBodies[command]> } = {
  CANCEL_RESERVATION: commandVersionsFrom221.CANCEL_RESERVATION,
  RESERVE_NOW: { ...commandVersionsFrom221.RESERVE_NOW, '2.1.1': reserveNow211 },
  START_SESSION: { ...commandVersionsFrom221.START_SESSION, '2.1.1': startSession211 },
  STOP_SESSION: { ...commandVersionsFrom221.STOP_SESSION, '2.1.1': stopSession211 },
  UNLOCK_CONNECTOR: { ...commandVersionsFrom221.UNLOCK_CONNECTOR, '2.1.1': unlockConnector211 },
}

/** The adapters of one command's body, for code that handles any command. */
export const commandBodyVersions = (command: CommandType) => commandVersions[command] as unknown as VersionAdapters<CommandBody>

/** 2.1.1 answers and posts results as one CommandResponse shape (mod_commands.md of 2.1.1, 2.2.1). */
export const commandResponseVersions: VersionAdapters<CommandResponse> = { ...commandResponseVersionsFrom221, '2.1.1': commandResponse211 }
export const commandResultVersions: VersionAdapters<CommandResult> = { ...commandResultVersionsFrom221, '2.1.1': commandResult211 }

export function tokenToWire(version: OcpiVersion, token: Token, allowedCountries?: string[] | null): unknown {
  const wire = adapterFor(tokenVersions, version).fromCanonical(token) as Record<string, unknown>
  return version === '2.3.0' && allowedCountries?.length ? { ...wire, [ALLOWED_COUNTRIES_FIELD]: allowedCountries } : wire
}
