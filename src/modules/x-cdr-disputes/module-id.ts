export const X_CDR_DISPUTES = 'x-cdr-disputes'
