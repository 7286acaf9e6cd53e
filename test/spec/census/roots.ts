import type { z } from 'zod'
import { CDR, CDR221 } from '../../../src/ocpi/objects/cdr'
import { Credentials, Credentials221, Version, VersionDetails } from '../../../src/ocpi/objects/credentials'
import { ClientInfo } from '../../../src/ocpi/objects/client-info'
import { Location, Location221 } from '../../../src/ocpi/objects/location'
import { ChargingPreferences, ChargingPreferencesResponse, Session, Session221 } from '../../../src/ocpi/objects/session'
import { InvoiceReconciliationRecord } from '../../../src/ocpi/objects/invoice-reconciliation'
import { Tariff, Tariff221 } from '../../../src/ocpi/objects/tariff'
import { AuthorizationInfo, AuthorizationInfo221, Token, Token221 } from '../../../src/ocpi/objects/token'

/** Per version, the spec anchor of each object a module reads or writes, and the zod schema it does that with. */
export const censusRoots: Record<'2.2.1' | '2.3.0', Record<string, z.ZodType>> = {
  '2.3.0': {
    credentials_credentials_object: Credentials,
    version_information_endpoint_version_class: Version,
    version_information_get_details_endpoint_data: VersionDetails,
    mod_locations_location_object: Location,
    mod_tariffs_tariff_object: Tariff,
    mod_tokens_token_object: Token,
    mod_tokens_authorizationinfo_object: AuthorizationInfo,
    mod_sessions_session_object: Session,
    mod_sessions_charging_preferences_object: ChargingPreferences,
    mod_sessions_charging_preferences_response_enum: ChargingPreferencesResponse,
    mod_cdrs_cdr_object: CDR,
    mod_hub_client_info_hub_client_info_object: ClientInfo,
    mod_invoice_reconciliation_record_object: InvoiceReconciliationRecord,
  },
  '2.2.1': {
    credentials_credentials_object: Credentials221,
    version_information_endpoint_version_class: Version,
    version_information_get_details_endpoint_data: VersionDetails,
    mod_locations_location_object: Location221,
    mod_tariffs_tariff_object: Tariff221,
    mod_tokens_token_object: Token221,
    mod_tokens_authorizationinfo_object: AuthorizationInfo221,
    mod_sessions_session_object: Session221,
    mod_sessions_charging_preferences_object: ChargingPreferences,
    mod_sessions_charging_preferences_response_enum: ChargingPreferencesResponse,
    mod_cdrs_cdr_object: CDR221,
    mod_hub_client_info_hub_client_info_object: ClientInfo,
  },
}
