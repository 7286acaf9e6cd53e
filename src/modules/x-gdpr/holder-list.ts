import { auditLogHolder, authorizationsHolder, cdrsHolder, driverTariffsHolder, exportsHolder, outboxHolder, sessionsHolder, tokenCacheHolder, type PersonalDataHolder } from './holders'

/**
 * Every place this platform keeps data about a token, in erasure order: the audit log last, so it is cleaned of every
 * identifier the other holders knew.
 */
export const personalDataHolders: PersonalDataHolder[] = [tokenCacheHolder, sessionsHolder, cdrsHolder, authorizationsHolder, driverTariffsHolder, exportsHolder, outboxHolder, auditLogHolder]
