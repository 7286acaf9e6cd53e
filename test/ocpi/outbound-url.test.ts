import { describe, expect, it } from 'vitest'
import { checkPeerUrl, peerUrlPolicy, peerUrlProblem, REFUSE_PRIVATE } from '../../src/ocpi/outbound-url'

// The outbound URL policy (docs/security.md): every spelling of a non-public address is refused unless the operator
// allowed private addresses for local use.

const forbidden = [
  'http://127.0.0.1/ocpi/versions', 'http://127.1/', 'http://0x7f.1/', 'http://2130706433/', 'http://017700000001/', 'http://0177.0.0.1/',
  'http://[::ffff:127.0.0.1]/', 'http://[0:0:0:0:0:ffff:7f00:1]/', 'http://[::1]/', 'http://[::]/', 'http://0.0.0.0/', 'http://0/',
  'http://localhost/', 'http://LOCALHOST./', 'http://peer.localhost/', 'http://10.1.2.3/', 'http://172.16.0.1/', 'http://172.31.255.255/',
  'http://192.168.1.1/', 'http://100.64.0.1/', 'http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/', 'http://[fd00::1]/',
  'http://[64:ff9b::a9fe:a9fe]/', 'http://[2002:7f00:1::]/', 'http://[::127.0.0.1]/', 'http://224.0.0.1/', 'http://255.255.255.255/',
  'http://metadata.google.internal/', 'http://printer.local/', 'http://intranet/', 'https://①②⑦.0.0.1/',
  'http://evil@127.0.0.1/', 'http://peer.example.com@127.0.0.1/', 'https://user:pass@peer.example.com/',
  'ftp://peer.example.com/', 'file:///etc/passwd', 'gopher://peer.example.com/', 'javascript:alert(1)', 'data:text/plain,hi', 'not a url', '',
]
const allowed = ['https://peer.example.com/ocpi/versions', 'http://peer.example.com:8080/x', 'https://8.8.8.8/', 'https://[2606:4700::1111]/', 'http://[::ffff:8.8.8.8]/', 'https://172.32.0.1/']

describe('outbound URL policy', () => {
  it.each(forbidden)('refuses %s in production', (url) => {
    expect(peerUrlProblem(url, REFUSE_PRIVATE)).toBeTruthy()
  })

  it.each(allowed)('allows %s', (url) => {
    expect(peerUrlProblem(url, REFUSE_PRIVATE)).toBeUndefined()
  })

  it('is production-strict unless ALLOW_PRIVATE_PEER_URLS says otherwise', () => {
    for (const setting of [undefined, '', 'false', 'FALSE']) expect(peerUrlProblem('http://127.0.0.1:8787/', peerUrlPolicy(setting))).toBeTruthy()
    expect(peerUrlProblem('http://127.0.0.1:8787/', peerUrlPolicy('true'))).toBeUndefined()
  })

  it('with ALLOW_PRIVATE_PEER_URLS=true still refuses userinfo and other schemes', () => {
    const local = peerUrlPolicy('true')
    expect(peerUrlProblem('http://evil@127.0.0.1/', local)).toMatch(/user information/)
    expect(peerUrlProblem('file:///etc/passwd', local)).toMatch(/scheme/)
  })

  it('an allow-list admits exactly the listed host:port', () => {
    const harness = peerUrlPolicy('127.0.0.1:9201, 127.0.0.1:9202')
    expect(peerUrlProblem('http://127.0.0.1:9201/ocpi/versions', harness)).toBeUndefined()
    expect(peerUrlProblem('http://127.1:9202/', harness)).toBeUndefined()
    expect(peerUrlProblem('http://127.0.0.1:9203/', harness)).toMatch(/loopback/)
    expect(peerUrlProblem('http://127.0.0.1/', harness)).toMatch(/loopback/)
    expect(peerUrlProblem('http://169.254.169.254:9201/', harness)).toMatch(/link-local/)
  })

  it('hands the caller the URL as fetch requests it, judged in that form', () => {
    expect(checkPeerUrl('HTTPS://Peer.Example.com:443/ocpi/../ocpi/versions?a=b c', REFUSE_PRIVATE)).toEqual({ href: 'https://peer.example.com/ocpi/versions?a=b%20c' })
    expect(checkPeerUrl('http://127.1:9202/x', peerUrlPolicy('127.0.0.1:9202'))).toEqual({ href: 'http://127.0.0.1:9202/x' })
    expect(checkPeerUrl('http://0x7f.1/', REFUSE_PRIVATE)).toEqual({ problem: 'loopback addresses are refused' })
  })
})
