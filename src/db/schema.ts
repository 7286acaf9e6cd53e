// One file per area keeps parallel work apart; every table is reachable from here.
export * from './schema/foundation'
