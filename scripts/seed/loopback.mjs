// The demo hosts its eMSP and its CPO on one platform. Commands go from an eMSP to a CPO over OCPI, so the platform
// registers with itself once: the peer named "demo loopback" is how the demo eMSP (DE*VMS) reaches the demo CPO
// (NL*ECO). See README, "Start a charge".

export const LOOPBACK_PEER_NAME = 'demo loopback'

export async function seedLoopback(admin) {
  const peers = await admin('GET', '/peers')
  if (peers.some((peer) => peer.name === LOOPBACK_PEER_NAME && peer.status === 'CONNECTED')) return
  // The demo's parties are hosted here, and a hosted party is granted to a peer only by the operator (docs/security.md,
  // "Role grants"): the loopback connection is granted them explicitly, on both sides of its registration.
  const grants = (await admin('GET', '/parties')).map(({ country_code, party_id, role }) => ({ country_code, party_id, role }))
  const invite = await admin('POST', '/peers/invite', { name: 'demo loopback (registration)', grants })
  await admin('POST', '/peers/connect', { versions_url: invite.versions_url, token_a: invite.token_a, name: LOOPBACK_PEER_NAME, grants })
}
