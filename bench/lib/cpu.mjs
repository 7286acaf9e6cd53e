// CPU time used by a platform (wrangler's Node process and its workerd), read from /proc. On a machine shared with
// other work, throughput and latency move with the load, but the CPU a platform spends per request barely does.
import { readdir, readFile } from 'node:fs/promises'

const TICKS_PER_SECOND = 100 // USER_HZ: 100 on every Linux architecture Node supports

/**
 * Milliseconds of CPU (user + system) used so far by every live process in these process groups, in total and by
 * workerd alone (the runtime that runs the Worker; the rest is wrangler's local proxy). Undefined off Linux.
 */
export async function processGroupCpuMs(groupIds) {
  if (process.platform !== 'linux') return undefined
  const wanted = new Set(groupIds.map(String))
  let ticks = 0
  let workerdTicks = 0
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined)
    if (!stat) continue
    // Fields after the parenthesised command name: state ppid pgrp ... utime (14th field overall) stime (15th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (!wanted.has(fields[2])) continue
    const used = Number(fields[11]) + Number(fields[12])
    ticks += used
    if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === 'workerd') workerdTicks += used
  }
  return { total: (ticks * 1000) / TICKS_PER_SECOND, workerd: (workerdTicks * 1000) / TICKS_PER_SECOND }
}
