import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

// The layers of docs/architecture.md, lowest first. A file imports only its own folder and the layers below it
// (type-only imports included); folders on one line are siblings and do not import each other.
const LAYERS: readonly (readonly string[])[] = [
  ['ocpi'],
  ['db', 'tariff'],
  ['admin'],
  ['peers'],
  ['push', 'jobs'],
  ['modules'],
  ['objects'],
  ['app'],
]

// `src/env.ts` describes the deployed worker's bindings (Durable Object classes included); every layer may read it.
const OUTSIDE_LAYERS = new Set(['env.ts'])

// Edges the layering does not allow yet, each with the reason it is still there. Keep this list short and shrinking.
const KNOWN_EXCEPTIONS: ReadonlyMap<string, string> = new Map([
  ['peers/registration.ts -> push/publish.ts', 'registration notifies the push layer of changed peers; to become a hook'],
  ['peers/accept-registration.ts -> push/publish.ts', 'registration notifies the push layer of changed peers; to become a hook'],
])

// A module's HTTP interfaces and its mount point: only the composition root (src/app/) uses them. Another module uses
// the rest (its store above all, which alone reads its tables), and the modules never use each other in a cycle.
const MODULE_INTERFACE_FILES = new Set(['index.ts', 'sender.ts', 'receiver.ts', 'admin.ts'])

const srcRoot = resolve(__dirname, '../../src')

interface Edge { from: string; to: string }

export function importGraph(root: string): Edge[] {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (path.endsWith('.ts')) files.push(path)
    }
  }
  walk(root)
  const specifiers = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g
  const edges: Edge[] = []
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(specifiers)) {
      const specifier = match[1] ?? match[2]
      if (!specifier?.startsWith('.')) continue
      const base = resolve(dirname(file), specifier)
      const target = [`${base}.ts`, join(base, 'index.ts'), base].find((candidate) => existsSync(candidate) && statSync(candidate).isFile())
      if (!target) throw new Error(`${relative(root, file)}: cannot resolve ${specifier}`)
      edges.push({ from: relative(root, file), to: relative(root, target) })
    }
  }
  return edges
}

// src/app.ts, src/index.ts and src/app/ are one layer: the composition root and the worker's entry.
const folderOf = (path: string) => (['app.ts', 'index.ts'].includes(path) ? 'app' : path.split('/')[0]!)
const layerOf = (path: string) => LAYERS.findIndex((folders) => folders.includes(folderOf(path)))
const moduleOf = (path: string) => (path.startsWith('modules/') ? path.split('/')[1] : undefined)

export function layerViolations(edges: readonly Edge[]): string[] {
  const violations: string[] = []
  for (const { from, to } of edges) {
    const name = `${from} -> ${to}`
    if (OUTSIDE_LAYERS.has(from) || OUTSIDE_LAYERS.has(to) || KNOWN_EXCEPTIONS.has(name)) continue
    const [fromLayer, toLayer] = [layerOf(from), layerOf(to)]
    if (fromLayer < 0) violations.push(`${from} is in no layer`)
    else if (toLayer > fromLayer) violations.push(`${name}: imports a higher layer`)
    else if (toLayer === fromLayer && folderOf(from) !== folderOf(to)) violations.push(`${name}: imports a sibling layer`)
    else if (moduleOf(from) && moduleOf(to) && moduleOf(from) !== moduleOf(to) && MODULE_INTERFACE_FILES.has(to.split('/')[2] ?? '')) {
      violations.push(`${name}: uses another module's HTTP interface`)
    }
  }
  return [...new Set(violations)]
}

/** Cycles in the graph of module folders (a module using another's store must not be used back). */
export function moduleCycles(edges: readonly Edge[]): string[] {
  const uses = new Map<string, Set<string>>()
  for (const { from, to } of edges) {
    const [a, b] = [moduleOf(from), moduleOf(to)]
    if (a && b && a !== b) uses.set(a, (uses.get(a) ?? new Set()).add(b))
  }
  const cycles: string[] = []
  const visit = (module: string, path: string[]) => {
    if (path.includes(module)) return void cycles.push([...path.slice(path.indexOf(module)), module].join(' -> '))
    for (const next of uses.get(module) ?? []) visit(next, [...path, module])
  }
  for (const module of uses.keys()) visit(module, [])
  return [...new Set(cycles)]
}

describe('import graph of src/', () => {
  const edges = importGraph(srcRoot)

  it('imports only downward, between the layers of docs/architecture.md', () => {
    expect(layerViolations(edges)).toEqual([])
  })

  it('has no cycle between modules', () => {
    expect(moduleCycles(edges)).toEqual([])
  })

  it('still needs every known exception', () => {
    const names = new Set(edges.map(({ from, to }) => `${from} -> ${to}`))
    expect([...KNOWN_EXCEPTIONS.keys()].filter((name) => !names.has(name))).toEqual([])
  })

  it('catches an upward import, a type-only one included', () => {
    const fixture = [
      { from: 'ocpi/types.ts', to: 'db/client.ts' },
      { from: 'modules/a/store.ts', to: 'modules/b/store.ts' },
      { from: 'modules/b/sender.ts', to: 'modules/a/store.ts' },
      { from: 'modules/b/store.ts', to: 'modules/a/sender.ts' },
      { from: 'index.ts', to: 'app/admin.ts' },
      { from: 'push/publish.ts', to: 'jobs/start.ts' },
    ]
    expect(layerViolations(fixture)).toEqual([
      'ocpi/types.ts -> db/client.ts: imports a higher layer',
      "modules/b/store.ts -> modules/a/sender.ts: uses another module's HTTP interface",
      'push/publish.ts -> jobs/start.ts: imports a sibling layer',
    ])
    expect(moduleCycles(fixture)).toEqual(['a -> b -> a', 'b -> a -> b'])
  })
})
