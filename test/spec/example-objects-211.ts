import type { z } from 'zod'
import {
  connectorPatch211, EnergyMix211, energyMixFrom211, energyMixTo211, evse211, evsePatch211, Hours211, hoursFrom211, location211, location211Losses, locationPatch211,
} from '../../src/ocpi/objects/v211/location'
import { token211, token211Losses, tokenPatch211 } from '../../src/ocpi/objects/v211/token'
import { tariff211, tariff211Losses } from '../../src/ocpi/objects/v211/tariff'
import { session211, session211Losses, sessionPatch211 } from '../../src/ocpi/objects/v211/session'
import { cdr211, cdr211Losses } from '../../src/ocpi/objects/v211/cdr'
import type { Loss } from '../../src/ocpi/objects/v211/shared'
import { DisplayText, type DisplayText as DisplayTextType } from '../../src/ocpi/types'
import type { Hours } from '../../src/ocpi/objects/location'
import type { VersionAdapter } from '../../src/ocpi/version-adapters'

// The objects a 2.1.1 spec example can show, each with its 2.1.1 adapter and the losses that adapter declares.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyAdapter = VersionAdapter<any, any>
const asIs = <T>(schema: z.ZodType<T>): VersionAdapter<T, T> => ({ schema, toCanonical: (value) => value, fromCanonical: (value) => value })

export const exampleObjects211 = {
  Location: { adapter: location211, losses: location211Losses },
  Location_PATCH: { adapter: locationPatch211, losses: location211Losses },
  EVSE: { adapter: evse211, losses: location211Losses },
  EVSE_PATCH: { adapter: evsePatch211, losses: location211Losses },
  Connector_PATCH: { adapter: connectorPatch211, losses: location211Losses },
  EnergyMix: { adapter: { schema: EnergyMix211, toCanonical: energyMixFrom211, fromCanonical: energyMixTo211 }, losses: location211Losses },
  Hours: { adapter: { schema: Hours211, toCanonical: hoursFrom211, fromCanonical: (hours: Hours) => hours }, losses: location211Losses },
  Token: { adapter: token211, losses: token211Losses },
  Token_PATCH: { adapter: tokenPatch211, losses: token211Losses },
  Tariff: { adapter: tariff211, losses: tariff211Losses },
  Session: { adapter: session211, losses: session211Losses },
  Session_PATCH: { adapter: sessionPatch211, losses: session211Losses },
  CDR: { adapter: cdr211, losses: cdr211Losses },
  DisplayText: { adapter: asIs<DisplayTextType>(DisplayText), losses: [] },
} satisfies Record<string, { adapter: AnyAdapter; losses: readonly Loss[] }>

export type ExampleObject211 = keyof typeof exampleObjects211
