import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpSender, ResponseParser } from '../../bench/lib/lean-http.mjs'

// The open-loop sender's HTTP/1.1 client (bench/lib/lean-http.mjs): it only frames answers, so what matters is that
// every framing ends an answer exactly where it ends, however the bytes arrive.

const answer = (head: string, body: string) => Buffer.from(`${head}\r\n\r\n${body}`, 'latin1')
const feedInPieces = (bytes: Buffer, size: number) => {
  const parser = new ResponseParser()
  let result
  for (let at = 0; at < bytes.length && result === undefined; at += size) {
    const piece = bytes.subarray(at, Math.min(bytes.length, at + size))
    result = parser.feed(piece, 0, piece.length)
  }
  return result
}

describe('ResponseParser', () => {
  const chunked = answer('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked', '5\r\nhello\r\nb;ext=1\r\n world, etc\r\n0\r\nX-Trailer: 1\r\n\r\n')
  const sized = answer('HTTP/1.1 201 Created\r\nContent-Length: 11', 'hello world')
  it.each([1, 2, 3, 7, 64, 4096])('finds the end of a sized and a chunked answer read %i bytes at a time', (size) => {
    expect(feedInPieces(sized, size)).toEqual({ status: 201, close: false })
    expect(feedInPieces(chunked, size)).toEqual({ status: 200, close: false })
  })
  it('is not done one byte before the end', () => {
    for (const bytes of [sized, chunked]) expect(feedInPieces(bytes.subarray(0, bytes.length - 1), 5)).toBeUndefined()
  })
  it('an answer without a body and Connection: close', () => {
    expect(feedInPieces(answer('HTTP/1.1 204 No Content\r\nConnection: close', ''), 3)).toEqual({ status: 204, close: true })
    expect(feedInPieces(answer('HTTP/1.1 200 OK\r\nContent-Length: 0', ''), 3)).toEqual({ status: 200, close: false })
  })
  it('refuses what it cannot frame', () => {
    expect(feedInPieces(answer('HTTP/1.1 200 OK', 'body'), 100)).toMatchObject({ error: expect.any(Error) })
    expect(feedInPieces(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'), 100)).toMatchObject({ error: expect.any(Error) })
  })
})

describe('httpSender against a real server', () => {
  let server: http.Server
  let base: string
  const connections = new Set<unknown>()
  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        if (request.url === '/missing') return response.writeHead(404).end('no')
        if (request.url === '/chunked') {
          response.writeHead(200)
          response.write('x'.repeat(70_000))
          setTimeout(() => response.end('y'.repeat(10)), 5)
          return
        }
        response.writeHead(200, { 'Content-Type': 'text/plain' }).end(`${request.method} ${body}`)
      })
    })
    server.on('connection', (socket) => connections.add(socket))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('answers many requests over a few kept-alive sockets, and rejects a non-2xx answer', async () => {
    const paths = ['/a', '/chunked', '/b', '/missing']
    const client = httpSender(base, (index: number) => ({ method: index % 2 ? 'POST' : 'GET', path: paths[index % 4]!, body: index % 2 ? `body ${index}` : undefined }), { sockets: 3 })
    const outcomes = await Promise.allSettled(Array.from({ length: 40 }, (_, index) => client.send(index)))
    client.close()
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(30)
    expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => String((outcome as PromiseRejectedResult).reason))).toEqual(Array(10).fill('Error: HTTP 404'))
    expect(connections.size).toBeLessThanOrEqual(3)
  })
})
