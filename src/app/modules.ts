import type { OcpiModule } from '../ocpi/module'
import { serveModules } from '../peers/served-modules'
import { onLocationVisibilityChange, onSharingPolicyChange } from '../modules/locations/policy-change'
import { onOwnLocationWrite } from '../modules/locations/owner'
import { pushBookingLocationsOnLocationChange, pushBookingLocationsOnVisibilityChange } from '../modules/bookings/push-booking-locations'
import { republishTariffsForPolicy } from '../modules/tariffs/push'
import { cdrs } from '../modules/cdrs'
import { commands } from '../modules/commands'
import { xChargingLimits } from '../modules/x-charging-limits'
import { hubclientinfo } from '../modules/hubclientinfo'
import { sessions } from '../modules/sessions'
import { locationsModule } from '../modules/locations'
import { tariffs } from '../modules/tariffs'
import { xDriverTariffs } from '../modules/x-driver-tariffs'
import { tokens } from '../modules/tokens'
import { xGdpr } from '../modules/x-gdpr'
import { xTokenMigration } from '../modules/x-token-migration'
import { xFeeds } from '../modules/x-feeds'
import { bookingsModule } from '../modules/bookings'
import { invoicereconciliation } from '../modules/invoicereconciliation'
import { xCdrDisputes } from '../modules/x-cdr-disputes'
import { xCdrCostBreakdown } from '../modules/x-cdr-cost-breakdown'
import { xHelpdesk } from '../modules/x-helpdesk'
import { xSessionFeed } from '../modules/x-session-feed'

/** Every module served, in the order listed in version details. Credentials is mounted by src/app/ocpi.ts. */
export const modules: OcpiModule[] = [hubclientinfo, locationsModule, tariffs, xDriverTariffs, tokens, xGdpr, xTokenMigration, xFeeds, sessions, xSessionFeed, cdrs, commands, xChargingLimits, xHelpdesk, bookingsModule, xCdrDisputes, xCdrCostBreakdown, invoicereconciliation]
serveModules(modules)
// Tariffs follow the locations that use them (docs/tariffs.md), so a location sharing policy decides them too.
onSharingPolicyChange(republishTariffsForPolicy)
// A hosted CPO's BookingLocations derive from its locations (docs/bookings.md), so a location change may push them.
onOwnLocationWrite(pushBookingLocationsOnLocationChange)
// ... and so does the sharing policy that shows the locations to each peer, location by location in its job.
onLocationVisibilityChange(pushBookingLocationsOnVisibilityChange)
