import type { Env } from '../env'

/** PUBLIC_URL without a trailing slash: the base of every URL we hand to peers. */
export const publicBase = (env: Pick<Env, 'PUBLIC_URL'>) => env.PUBLIC_URL.replace(/\/$/, '')

export const ourVersionsUrl = (env: Pick<Env, 'PUBLIC_URL'>) => `${publicBase(env)}/ocpi/versions`

/** Lower-case hex of a digest or MAC. */
export const toHex = (bytes: ArrayBuffer | Uint8Array) =>
  [...(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))].map((byte) => byte.toString(16).padStart(2, '0')).join('')
