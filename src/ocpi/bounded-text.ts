/**
 * Reads a byte stream as UTF-8 text, at most `maxBytes`: the read stops and the stream is cancelled the moment it passes
 * the limit, so an oversized body (a peer's answer, a request) is never held in memory whole.
 */
export async function readBoundedText(stream: ReadableStream<Uint8Array> | null, maxBytes: number, tooLarge: () => Error): Promise<string> {
  if (!stream) return ''
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  let received = 0
  let text = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    received += value.byteLength
    if (received > maxBytes) {
      await reader.cancel()
      throw tooLarge()
    }
    text += decoder.decode(value, { stream: true })
  }
  return text + decoder.decode()
}
