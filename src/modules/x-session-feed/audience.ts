import type { Context } from 'hono'
import type { OcpiEnv } from '../../ocpi/context'

// Who is a data aggregator: a peer holding a role that consumes data rather than serving drivers or charge points
// (version_information_endpoint / credentials Role: NAP, NSP, OTHER). The agreement on x-session-feed is the
// operator's grant; the role keeps an eMSP or CPO connection from reading every other eMSP's sessions through it.
const AGGREGATOR_ROLES = ['NAP', 'NSP', 'OTHER']

export const isAggregator = (c: Context<OcpiEnv>) => c.get('peer').roles.some((role) => AGGREGATOR_ROLES.includes(role.role))
