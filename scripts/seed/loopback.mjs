// The demo hosts its eMSP and its CPO on one platform. Commands go from an eMSP to a CPO over OCPI, so the platform
// registers with itself once: the peer named "demo loopback" is how the demo eMSP (DE*VMS) reaches the demo CPO
// (NL*ECO). See README, "Start a charge".

export const LOOPBACK_PEER_NAME = 'demo loopback'

export async function seedLoopback(admin) {
  const peers = await admin('GET', '/peers')
  if (peers.some((peer) => peer.name === LOOPBACK_PEER_NAME && peer.status === 'CONNECTED')) return
  const invite = await admin('POST', '/peers/invite', { name: 'demo loopback (registration)' })
  await admin('POST', '/peers/connect', { versions_url: invite.versions_url, token_a: invite.token_a, name: LOOPBACK_PEER_NAME })
}
