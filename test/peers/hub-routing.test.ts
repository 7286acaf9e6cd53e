import { describe, expect, it } from 'vitest'
import { requestingHostedParty, routingOf } from '../../src/peers/hub-routing'

// transport_and_format, "Message Routing" and its routing tables: what each outbound call to a peer carries.

const hub = { role: 'HUB', country_code: 'NL', party_id: 'HUB' }
const ours = { country_code: 'DE', party_id: 'MSP' }
const receiver = { country_code: 'BE', party_id: 'CPO' }

describe('routingOf', () => {
  it('a GET All at a hub goes TO the hub FROM the requesting party', () => {
    expect(routingOf({ roles: [hub] }, { module: 'locations', kind: 'pull' }, ours)).toEqual({ from: ours, to: { country_code: 'NL', party_id: 'HUB' } })
  })

  it('a push through a hub goes FROM our party TO the receiving party', () => {
    expect(routingOf({ roles: [hub] }, { module: 'sessions', kind: 'push', from: ours, to: receiver })).toEqual({ from: ours, to: receiver })
  })

  it('never on configuration modules, even to a hub', () => {
    for (const module of ['credentials', 'versions', 'hubclientinfo']) expect(routingOf({ roles: [hub] }, { module, kind: 'push', from: ours, to: receiver })).toEqual({})
  })

  it('a direct peer keeps what the caller chose', () => {
    expect(routingOf({ roles: [{ role: 'CPO', ...receiver }] }, { module: 'locations', kind: 'pull' }, ours)).toEqual({ from: undefined, to: undefined })
    expect(routingOf({ roles: [{ role: 'CPO', ...receiver }] }, { module: 'tokens', kind: 'pull', from: ours, to: receiver })).toEqual({ from: ours, to: receiver })
  })

  it('a pull asks as the first hosted party that is not the data owner', () => {
    expect(requestingHostedParty([{ role: 'CPO', ...receiver }, { role: 'EMSP', ...ours }], 'CPO')).toEqual(ours)
    expect(requestingHostedParty([], 'CPO')).toBeUndefined()
  })
})
