import { env } from 'cloudflare:workers'
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import worker from '../src/index'

// What one request costs in round trips: the worker is called with an env whose D1 binding and Durable Object
// namespaces count what goes through them. A D1 round trip is one statement run (first/all/run/raw), one batch or one
// exec, whether on the binding or on a session; `statements` lists every SQL text, so a test can look for a COUNT or a
// keyset predicate. A Durable Object call is one method call (fetch or RPC) on a stub.

export interface RequestCost {
  /** D1 round trips: a batch of five statements is one. */
  d1: number
  /** D1 read sessions opened (withSession): a request answered from memory needs none. */
  sessions: number
  /** Durable Object calls (fetch or RPC) made from the worker. */
  do: number
  /** Every SQL statement sent to D1, in order (a batch's statements each appear). */
  statements: string[]
  /** `Namespace.method` of every Durable Object call, in order. */
  doCalls: string[]
}

export interface CountingEnv {
  env: Env
  /** The cost so far; `reset` starts a new count. */
  cost(): RequestCost
  reset(): void
}

const RUNNERS = new Set(['first', 'all', 'run', 'raw'])

/** The worker's env with D1 and every Durable Object namespace counted; `overrides` replaces vars (e.g. staleness). */
export function countingEnv(overrides: Record<string, unknown> = {}): CountingEnv {
  let cost: RequestCost = { d1: 0, sessions: 0, do: 0, statements: [], doCalls: [] }

  // Every statement handed out (prepared or bound) is a proxy that counts its runs; batch() gets the real ones back.
  const real = new WeakMap<object, { stmt: D1PreparedStatement; sql: string }>()
  const statement = (target: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const proxy = new Proxy(target, {
      get(stmt, prop) {
        const value = Reflect.get(stmt, prop, stmt)
        if (prop === 'bind') return (...values: unknown[]) => statement((value as (...v: unknown[]) => D1PreparedStatement).apply(stmt, values), sql)
        if (typeof prop === 'string' && RUNNERS.has(prop)) {
          return (...args: unknown[]) => {
            cost.d1++
            cost.statements.push(sql)
            return (value as (...a: unknown[]) => unknown).apply(stmt, args)
          }
        }
        return typeof value === 'function' ? value.bind(stmt) : value
      },
    })
    real.set(proxy, { stmt: target, sql })
    return proxy
  }

  const database = <T extends D1Database | D1DatabaseSession>(target: T): T =>
    new Proxy(target, {
      get(db, prop) {
        const value = Reflect.get(db, prop, db)
        if (prop === 'prepare') return (sql: string) => statement((value as D1Database['prepare']).call(db, sql), sql)
        if (prop === 'batch') {
          return (statements: D1PreparedStatement[]) => {
            cost.d1++
            const unwrapped = statements.map((stmt) => {
              const known = real.get(stmt)
              cost.statements.push(known?.sql ?? '?')
              return known?.stmt ?? stmt
            })
            return (value as D1Database['batch']).call(db, unwrapped)
          }
        }
        if (prop === 'exec') {
          return (sql: string) => {
            cost.d1++
            cost.statements.push(sql)
            return (value as D1Database['exec']).call(db, sql)
          }
        }
        if (prop === 'withSession') {
          return (...args: unknown[]) => {
            cost.sessions++
            return database((value as (...a: unknown[]) => D1DatabaseSession).apply(db, args))
          }
        }
        return typeof value === 'function' ? value.bind(db) : value
      },
    })

  const stub = (target: DurableObjectStub, namespace: string): DurableObjectStub =>
    new Proxy(target, {
      get(object, prop) {
        if (typeof prop === 'symbol' || prop === 'id' || prop === 'name' || prop === 'then') return Reflect.get(object, prop)
        return (...args: unknown[]) => {
          cost.do++
          cost.doCalls.push(`${namespace}.${prop}`)
          // Called as a method: an RPC stub's members are themselves stubs, which have no `apply` of their own.
          return (object as unknown as Record<string, (...a: unknown[]) => unknown>)[prop]!(...args)
        }
      },
    })

  const namespace = (target: DurableObjectNamespace, name: string): DurableObjectNamespace =>
    new Proxy(target, {
      get(ns, prop) {
        const value = Reflect.get(ns, prop, ns)
        if (prop === 'get' || prop === 'getByName') return (...args: unknown[]) => stub((value as (...a: unknown[]) => DurableObjectStub).apply(ns, args), name)
        if (prop === 'jurisdiction') return (...args: unknown[]) => namespace((value as (...a: unknown[]) => DurableObjectNamespace).apply(ns, args), name)
        return typeof value === 'function' ? value.bind(ns) : value
      },
    })

  const wrapped: Record<string, unknown> = {}
  for (const key of Object.keys(env) as (keyof Env)[]) {
    const value = env[key] as unknown
    if (isD1(value)) wrapped[key] = database(value)
    else if (isNamespace(value)) wrapped[key] = namespace(value, key)
    else wrapped[key] = value
  }
  Object.assign(wrapped, overrides)

  return {
    env: wrapped as unknown as Env,
    cost: () => ({ ...cost, statements: [...cost.statements], doCalls: [...cost.doCalls] }),
    reset: () => {
      cost = { d1: 0, sessions: 0, do: 0, statements: [], doCalls: [] }
    },
  }
}

const isD1 = (value: unknown): value is D1Database =>
  typeof value === 'object' && value !== null && typeof (value as D1Database).prepare === 'function' && typeof (value as D1Database).batch === 'function'

const isNamespace = (value: unknown): value is DurableObjectNamespace =>
  typeof value === 'object' && value !== null && typeof (value as DurableObjectNamespace).idFromName === 'function'

/**
 * One request through the worker with a counting env: its response (body read, so streamed work is done), and what it
 * cost, background work (waitUntil) included.
 */
export async function countedFetch(counting: CountingEnv, input: string, init?: RequestInit): Promise<{ response: Response; body: string; cost: RequestCost }> {
  counting.reset()
  const ctx = createExecutionContext()
  const response = await worker.fetch(new Request(input.startsWith('http') ? input : `http://localhost${input}`, init), counting.env as unknown as Parameters<typeof worker.fetch>[1], ctx)
  const body = await response.text()
  await waitOnExecutionContext(ctx)
  return { response, body, cost: counting.cost() }
}
