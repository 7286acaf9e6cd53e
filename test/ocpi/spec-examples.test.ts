import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { Credentials, Credentials221, Version, VersionDetails } from '../../src/ocpi/objects/credentials'
import { present } from '../present'

// The spec's own examples, read unaltered from test/fixtures/spec, must parse with our schemas.
const glob = {
  '2.3.0': {
    credentials: import.meta.glob<unknown>('../fixtures/spec/2.3.0/examples/credentials_example*.json', { eager: true, import: 'default' }),
    details: import.meta.glob<unknown>('../fixtures/spec/2.3.0/examples/version_details_example*.json', { eager: true, import: 'default' }),
    versions: import.meta.glob<unknown>('../fixtures/spec/2.3.0/examples/versions_info_example.json', { eager: true, import: 'default' }),
  },
  '2.2.1': {
    credentials: import.meta.glob<unknown>('../fixtures/spec/2.2.1/examples/credentials_example*.json', { eager: true, import: 'default' }),
    details: import.meta.glob<unknown>('../fixtures/spec/2.2.1/examples/version_details_example*.json', { eager: true, import: 'default' }),
    versions: import.meta.glob<unknown>('../fixtures/spec/2.2.1/examples/versions_info_example.json', { eager: true, import: 'default' }),
  },
}
const schemas = {
  '2.3.0': { credentials: Credentials, details: VersionDetails, versions: z.array(Version) },
  '2.2.1': { credentials: Credentials221, details: VersionDetails, versions: z.array(Version) },
}

describe.each(['2.3.0', '2.2.1'] as const)('spec examples of %s', (version) => {
  for (const kind of ['credentials', 'details', 'versions'] as const) {
    const examples = Object.entries(glob[version][kind])
    it(`finds the ${kind} examples`, () => expect(examples.length).toBeGreaterThan(0))
    it.each(examples)(`parses %s`, (_path, example) => {
      const result = schemas[version][kind].safeParse(example)
      expect(result.error?.issues).toBeUndefined()
    })
  }

  it('refuses a credentials object with a duplicated role, naming the role', () => {
    const example = present((Object.values(glob[version].credentials) as { roles: unknown[] }[])[0], 'a credentials example')
    const result = schemas[version].credentials.safeParse({ ...example, roles: [example.roles[0], example.roles[0]] })
    expect(result.error?.issues[0]?.path).toEqual(['roles', 1])
  })
})
