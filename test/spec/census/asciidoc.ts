import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

// Reads the property tables (objects, classes) and value tables (enums) of the OCPI AsciiDoc sources: every section
// that starts with an anchor `[[...]]` and a heading, and the first table after it.

export type Cardinality = '1' | '?' | '*' | '+'

export interface SpecField {
  name: string
  /** The anchor the type links to (`mod_locations_evse_object`), or the plain type name (`boolean`). */
  type: string
  /** string(n) / CiString(n): the maximum length. */
  max_length?: number
  cardinality: Cardinality
}

export interface SpecObject { kind: 'object'; anchor: string; name: string; file: string; fields: SpecField[] }
export interface SpecEnum { kind: 'enum'; anchor: string; name: string; file: string; open: boolean; values: string[] }
export type SpecDefinition = SpecObject | SpecEnum

/** `cols="7,7,2,16"` or `cols="3*"`: the number of columns. */
function columnCount(cols: string): number {
  return cols.split(',').reduce((count, column) => {
    const repeat = column.match(/^(\d+)\*/)
    return count + (repeat ? Number(repeat[1]) : 1)
  }, 0)
}

/**
 * The cells of a table body, in order. Every unescaped `|` starts a cell; a cell specifier written before it (`a|`,
 * `2+|`) is left at the end of the previous cell, and removed there.
 */
function cells(body: string): string[] {
  return body.split(/(?<!\\)\|/).slice(1).map((cell) => cell.replace(/\s+(?:\d+\+)?[adehlmsv]?\s*$/, ' ').replace(/\s+/g, ' ').trim())
}

const LINK = /<<(?:[\w.-]+\.asciidoc)?#?([\w-]+),\s*([^>]*)>>/

function parseType(cell: string): { type: string; max_length?: number } {
  const link = cell.match(LINK)
  const length = cell.match(/\((\d+)\)/)
  const type = link ? link[1]! : cell.replace(/\(.*$/, '').trim()
  return length ? { type, max_length: Number(length[1]) } : { type }
}

function fieldName(cell: string): string {
  return cell.replace(/\[\[[^\]]*\]\]/g, '').replace(/[*`+]/g, '').trim().replace(/^_(.*)_$/, '$1')
}

/** Parses one AsciiDoc file into its object and enum definitions. */
export function parseAsciidoc(file: string, text: string): SpecDefinition[] {
  const definitions: SpecDefinition[] = []
  const section = /^\[\[([\w-]+)\]\]\s*\n=+ (.+)$/gm
  const starts = [...text.matchAll(section)]
  starts.forEach((match, index) => {
    const anchor = match[1]!
    const heading = match[2]!.replace(/_/g, '').trim()
    const end = starts[index + 1]?.index ?? text.length
    const chunk = text.slice(match.index, end)
    const table = chunk.match(/\[cols="([^"]+)"[^\]]*\]\s*\n\|===\n([\s\S]*?)\n\|===/)
    if (!table) return
    const width = columnCount(table[1]!)
    const all = cells(table[2]!)
    const rows: string[][] = []
    for (let at = 0; at + width <= all.length; at += width) rows.push(all.slice(at, at + width))
    const [header, ...body] = rows
    if (!header) return
    const name = heading.replace(/\s+(Object|object|class|Class|enum|Enum|OpenEnum|type|Type)$/, '').trim()
    const columns = header.map((cell) => cell.toLowerCase().replace(/\.$/, ''))
    // Enum tables list values in a `Value` column; ModuleID lists them in a `ModuleID` column next to the module name.
    const valueColumn = columns[0] === 'value' ? 0 : columns.indexOf('moduleid')
    if (valueColumn >= 0) {
      const values = body.map((row) => row[valueColumn]!.replace(/[`*]/g, '').trim()).filter((value) => /^[A-Za-z0-9_/.+-]+$/.test(value))
      definitions.push({ kind: 'enum', anchor, name, file, open: /OpenEnum/i.test(match[2]!), values })
      return
    }
    const property = columns.indexOf('property')
    const type = columns.indexOf('type')
    const cardinality = columns.findIndex((column) => column === 'card' || column === 'cardinality')
    if (property < 0 || type < 0 || cardinality < 0) return
    const fields = body.flatMap((row): SpecField[] => {
      const card = row[cardinality]!.trim()
      if (!/^[1?*+]$/.test(card)) return []
      return [{ name: fieldName(row[property]!), ...parseType(row[type]!), cardinality: card as Cardinality }]
    })
    definitions.push({ kind: 'object', anchor, name, file, fields })
  })
  return definitions
}

/** Every object and enum of one release folder: types, credentials, versions and every mod_*.asciidoc. */
export async function readRelease(folder: string): Promise<Map<string, SpecDefinition>> {
  const files = (await readdir(folder)).filter((file) =>
    /^(mod_.*|types|credentials|version_information_endpoint)\.asciidoc$/.test(file)).sort()
  const definitions = new Map<string, SpecDefinition>()
  for (const file of files) {
    for (const definition of parseAsciidoc(file, await readFile(join(folder, file), 'utf8'))) definitions.set(definition.anchor, definition)
  }
  return definitions
}
