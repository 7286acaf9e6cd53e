import { E2E_ADMIN_TOKEN, urlOf, type PlatformName } from './platforms'

export interface AdminResult<T = any> { status: number; body: T }

/** A running platform, driven only through its management API and, for wire checks, raw OCPI requests. */
export class Platform {
  readonly url: string
  readonly versionsUrl: string
  constructor(readonly name: PlatformName) {
    this.url = urlOf(name)
    this.versionsUrl = `${this.url}/ocpi/versions`
  }

  /** Management call that must succeed (2xx); returns the JSON body. */
  async admin<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const result = await this.adminRaw<T>(method, path, body)
    if (result.status >= 300) throw new Error(`${this.name}: ${method} ${path} -> ${result.status} ${JSON.stringify(result.body)}`)
    return result.body
  }

  async adminRaw<T = any>(method: string, path: string, body?: unknown): Promise<AdminResult<T>> {
    const response = await fetch(`${this.url}/admin/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${E2E_ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : undefined }
  }

  /** Polls a background job (docs/jobs.md) started by an admin call answering 202 until it is DONE; returns its status. */
  async jobDone<T = any>(accepted: { job_id: string }, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const job = await this.admin(`GET`, `/jobs/${encodeURIComponent(accepted.job_id)}`)
      if (job.status === 'DONE') return job
      if (job.status !== 'RUNNING') throw new Error(`${this.name}: job ${accepted.job_id} ended ${job.status}: ${job.last_error}`)
      if (Date.now() > deadline) throw new Error(`${this.name}: job ${accepted.job_id} still RUNNING: ${JSON.stringify(job)}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }

  /** Raw OCPI request with a credentials token (Base64-encoded unless raw is set). */
  async ocpi(method: string, pathOrUrl: string, options: { token?: string; raw?: boolean; body?: unknown; headers?: Record<string, string> } = {}) {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.url}${pathOrUrl}`
    const headers: Record<string, string> = { ...options.headers }
    if (options.token) headers.Authorization = `Token ${options.raw ? options.token : Buffer.from(options.token).toString('base64')}`
    if (options.body !== undefined) headers['Content-Type'] = 'application/json'
    const response = await fetch(url, { method, headers, body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body) })
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined }
  }
}

export const a = new Platform('a')
export const b = new Platform('b')
export const c = new Platform('c')
/** Started and stopped by tests that need it (test/e2e/platform-process.ts). */
export const d = new Platform('d')

/** Unique ids per test run, so tests sharing the platforms never collide. */
export const unique = (prefix: string) => `${prefix}${Math.random().toString(36).slice(2, 8).toUpperCase()}`

/**
 * Every party `platform` hosts, as grants (docs/security.md, "Role grants"). The e2e platforms connect to each other
 * once per test file and version; an operator connecting the same platform again says so with these, or the second
 * connection is refused for parties the first one holds.
 */
export async function grantsOf(platform: Platform): Promise<{ country_code: string; party_id: string; role: string }[]> {
  const parties = await platform.admin<{ country_code: string; party_id: string; role: string }[]>('GET', '/parties')
  return parties.map(({ country_code, party_id, role }) => ({ country_code, party_id, role }))
}
