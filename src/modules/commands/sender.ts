import { resultSender } from './result-endpoint'

/** Commands Sender interface (eMSP): the response_url endpoint (result-endpoint.ts). */
export const sender = resultSender('CommandResult')
