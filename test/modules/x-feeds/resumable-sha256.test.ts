import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { finishSha256, resumeSha256, saveSha256 } from '../../../src/modules/x-feeds/resumable-sha256'
import { toHex } from '../../../src/ocpi/urls'

const webCryptoSha256 = async (bytes: Uint8Array) => toHex(await crypto.subtle.digest('SHA-256', bytes))

describe('resumable SHA-256', () => {
  it('equals WebCrypto over any bytes cut anywhere, saved as JSON between the pieces', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), async (pieces) => {
        let state: ReturnType<typeof saveSha256> | undefined
        for (const piece of pieces) {
          const hash = resumeSha256(state && JSON.parse(JSON.stringify(state)))
          hash.update(piece)
          state = saveSha256(hash)
        }
        const whole = new Uint8Array(pieces.reduce((total, piece) => total + piece.length, 0))
        pieces.reduce((offset, piece) => (whole.set(piece, offset), offset + piece.length), 0)
        expect(finishSha256(resumeSha256(state))).toBe(await webCryptoSha256(whole))
      }),
      { numRuns: 200 },
    )
  })
})
