import { resultSender } from '../commands/sender'

/**
 * x-helpdesk Sender interface (eMSP): the response_url we generate, `{endpoint}/{command}/{command_id}`, where the CPO
 * posts the CommandResult, with mod_commands' rules: only the peer the command went to, once; a repeated or late result
 * is kept in the history; an id we never generated, or another peer's, is 2003.
 */
export const sender = resultSender('x-helpdesk CommandResult')
