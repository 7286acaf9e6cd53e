// The charging scenario's proof that no session update is lost between a CPO's live sessions and an eMSP peer.

/**
 * Proof that no update is lost, per session: every update the CPO produced in the window [from, to) (the readings
 * dated in it, numbered by their period count) either reached the eMSP peer, in order, or was superseded by a newer
 * state of the same session while it waited in the outbox (that state carries all its periods); and the session's state
 * as the CPO held it after the window reached the peer, with the CPO's energy and stamp, or a later state carried it.
 * Latency: from the CPO's `last_updated` to arrival, for every update of the window received.
 */
export function updateAccounting({ sessions, pushes, from, to }) {
  const bySession = new Map()
  for (const push of pushes) {
    if (!bySession.has(push.id)) bySession.set(push.id, [])
    bySession.get(push.id).push(push)
  }
  let produced = 0
  let received = 0
  let duplicates = 0
  let outOfOrder = 0
  let lost = 0
  const latencies = []
  for (const session of sessions.values()) {
    const inWindow = new Set(session.readings.flatMap((at, index) => (at >= from && at < to ? [index + 1] : [])))
    produced += inWindow.size
    const seen = new Set()
    let highest = -1
    let exact
    for (const push of bySession.get(session.id) ?? []) {
      const periods = push.periods ?? 0
      if (periods < highest) outOfOrder++
      else if (periods === highest) duplicates++
      highest = Math.max(highest, periods)
      if (periods === session.periods) exact = push
      if (!inWindow.has(periods) || seen.has(periods)) continue
      seen.add(periods)
      latencies.push(push.receivedAt - push.last_updated)
    }
    received += seen.size
    const arrived = exact ? exact.kwh === session.kwh && exact.last_updated === session.last_updated : highest > session.periods
    if (!arrived) lost++
  }
  return { produced, received, superseded: produced - received, duplicates, outOfOrder, lost, latencies }
}
