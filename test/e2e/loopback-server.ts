import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** An HTTP server on a free loopback port that hands each request, with its whole body read, to `handle`. */
export abstract class LoopbackServer {
  #server?: Server
  /** `http://127.0.0.1:{port}` once started. */
  protected base = ''

  protected abstract handle(request: IncomingMessage, text: string, response: ServerResponse): Promise<void> | void

  async start(): Promise<this> {
    this.#server = createServer((request, response) => void this.#read(request, response))
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve))
    this.base = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`
    return this
  }

  async stop() {
    await new Promise((resolve) => this.#server?.close(resolve))
  }

  async #read(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    await this.handle(request, Buffer.concat(chunks).toString(), response)
  }
}
