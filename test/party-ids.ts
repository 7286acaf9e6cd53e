const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const issued = new Set<string>()

/**
 * A party_id (CiString(3)) no other call in this test file has returned: tests share one database per file, and a
 * repeated id would make a second "new" party collide with the first (409 on hosting it).
 */
export function uniquePartyId(): string {
  for (;;) {
    const id = Array.from(crypto.getRandomValues(new Uint8Array(3)), (byte) => ALPHABET[byte % ALPHABET.length]).join('')
    if (!issued.has(id)) {
      issued.add(id)
      return id
    }
  }
}
