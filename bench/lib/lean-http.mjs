// The open-loop sender's HTTP/1.1 client: keep-alive sockets that read every answer into one reused buffer and only
// parse what decides the outcome (status, Content-Length or chunked framing). node:http allocated a Buffer per chunk
// and an IncomingMessage per answer: at 1,300 cache-hit pages of 144 KB a second it took most of a core on the
// bench machine, the same cores the measured platform runs on, and its garbage collections landed in the latencies.
import net from 'node:net'

const CRLF = 0x0a // the parser looks for "\n"; HTTP/1.1 lines end in "\r\n"
/** One read buffer for every socket: a read callback consumes it before the next read is made. */
const readBuffer = Buffer.allocUnsafe(256 * 1024)

/**
 * A sender for runOpenLoop: up to `sockets` keep-alive connections (more requests wait for one, which counts as
 * queueing), resolving with the status once the whole answer has arrived, rejecting on a non-2xx status or a socket
 * error. `requestOf(index)` gives { method, path, headers, body } for each request.
 */
export function httpSender(baseUrl, requestOf, { sockets = 64 } = {}) {
  const url = new URL(baseUrl)
  const idle = []
  const waiting = []
  const open = new Set()
  let closed = false

  const release = (connection) => {
    if (closed || connection.broken) return connection.socket.destroy()
    const next = waiting.shift()
    if (next) connection.run(next)
    else idle.push(connection)
  }

  const send = (index) => new Promise((resolve, reject) => {
    const job = { bytes: requestBytes(url, requestOf(index)), resolve, reject }
    const connection = idle.pop()
    if (connection) connection.run(job)
    else if (open.size < sockets) openConnection(job)
    else waiting.push(job)
  })

  function openConnection(first) {
    const connection = new Connection(url, release, () => open.delete(connection))
    open.add(connection)
    connection.run(first)
  }

  return {
    send,
    close: () => {
      closed = true
      for (const connection of open) connection.socket.destroy()
    },
  }
}

function requestBytes(url, { method = 'GET', path, headers = {}, body }) {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${url.host}`, 'Connection: keep-alive']
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`)
  if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`)
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`)
}

/** One keep-alive connection, one request at a time. */
class Connection {
  constructor(url, release, forget) {
    this.job = undefined
    this.broken = false
    this.parser = new ResponseParser()
    this.socket = net.connect({
      host: url.hostname,
      port: Number(url.port),
      noDelay: true,
      onread: { buffer: readBuffer, callback: (length, buffer) => this.#read(buffer, length) },
    })
    const fail = (error) => {
      this.broken = true
      const job = this.job
      this.job = undefined
      job?.reject(error)
    }
    this.socket.on('error', fail)
    this.socket.on('close', () => {
      forget()
      fail(new Error('connection closed before the answer was complete'))
    })
    this.release = release
  }

  run(job) {
    this.job = job
    this.parser.reset()
    this.socket.write(job.bytes)
  }

  #read(buffer, length) {
    if (!this.job) return
    const done = this.parser.feed(buffer, 0, length)
    if (done === undefined) return
    const job = this.job
    this.job = undefined
    if (done.error) {
      this.broken = true
      job.reject(done.error)
    } else if (done.status >= 300) {
      job.reject(new Error(`HTTP ${done.status}`))
    } else {
      job.resolve(done.status)
    }
    if (done.close) this.broken = true
    this.release(this)
  }
}

/**
 * Incremental parser of one HTTP/1.1 answer: the head (status, Content-Length, Transfer-Encoding, Connection), then a
 * body framed by Content-Length or chunked, which is only counted. feed() returns undefined until the answer is
 * complete, then { status, close } or { error }. Bytes after the answer (none without pipelining) are ignored.
 */
export class ResponseParser {
  constructor() {
    this.reset()
  }

  reset() {
    this.head = ''
    this.status = 0
    this.close = false
    this.state = 'head'
    this.remaining = 0
    /** The line being read (head, chunk size or trailer), up to and with its "\n". */
    this.line = ''
  }

  feed(buffer, start, end) {
    let at = start
    while (at < end) {
      switch (this.state) {
        case 'head': {
          at = this.#takeLine(buffer, at, end)
          if (this.head.length + this.line.length > 64 * 1024) return { error: new Error('answer head over 64 KB') }
          if (!this.line.endsWith('\n')) continue
          this.head += this.line
          this.line = ''
          if (!this.head.endsWith('\r\n\r\n')) continue
          const problem = this.#readHead()
          if (problem) return { error: problem }
          if (this.state === 'done') return this.#done()
          break
        }
        case 'body': {
          const take = Math.min(this.remaining, end - at)
          this.remaining -= take
          at += take
          if (this.remaining === 0) return this.#done()
          break
        }
        case 'chunk-size': {
          at = this.#takeLine(buffer, at, end)
          if (!this.line.endsWith('\n')) continue
          const size = Number.parseInt(this.line, 16)
          this.line = ''
          if (!Number.isFinite(size) || size < 0) return { error: new Error('bad chunk size') }
          // The last chunk is followed by (trailers and) an empty line; a chunk's data by "\r\n".
          this.state = size === 0 ? 'trailer' : 'chunk-data'
          this.remaining = size + 2
          break
        }
        case 'chunk-data': {
          const take = Math.min(this.remaining, end - at)
          this.remaining -= take
          at += take
          if (this.remaining === 0) this.state = 'chunk-size'
          break
        }
        case 'trailer': {
          at = this.#takeLine(buffer, at, end)
          if (!this.line.endsWith('\n')) continue
          const line = this.line
          this.line = ''
          if (line === '\r\n' || line === '\n') return this.#done()
          break
        }
        default:
          return this.#done()
      }
    }
    return undefined
  }

  /** Adds the bytes from `at` up to the next "\n" (or `end`) to this.line; returns where it stopped. */
  #takeLine(buffer, at, end) {
    const newline = buffer.indexOf(CRLF, at)
    const stop = newline === -1 || newline >= end ? end : newline + 1
    this.line += buffer.toString('latin1', at, stop)
    return stop
  }

  #readHead() {
    const lines = this.head.split('\r\n')
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0])
    if (!status) return new Error(`not an HTTP answer: ${lines[0].slice(0, 80)}`)
    this.status = Number(status[1])
    let length
    let chunked = false
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':')
      if (colon < 0) continue
      const name = line.slice(0, colon).trim().toLowerCase()
      const value = line.slice(colon + 1).trim()
      if (name === 'content-length') length = Number(value)
      else if (name === 'transfer-encoding') chunked = value.toLowerCase().includes('chunked')
      else if (name === 'connection') this.close = value.toLowerCase() === 'close'
    }
    if (chunked) {
      this.state = 'chunk-size'
    } else if (length !== undefined && Number.isInteger(length) && length >= 0) {
      this.remaining = length
      this.state = length === 0 || this.status === 204 || this.status === 304 ? 'done' : 'body'
    } else if (this.status === 204 || this.status === 304) {
      this.state = 'done'
    } else {
      return new Error('answer without Content-Length or chunked framing (the bench needs keep-alive framing)')
    }
    return undefined
  }

  #done() {
    this.state = 'done'
    return { status: this.status, close: this.close }
  }
}
