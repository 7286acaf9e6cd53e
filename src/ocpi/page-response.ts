import type { Context } from 'hono'
import type { Env } from '../env'
import { respond, respondListHead, serializedListHead } from './envelope'
import { setPageHeaders, type Page, type PageQuery } from './paging'

/** A page as read for one request, with the D1 session bookmark the next page continues from (when read in one). */
export type ReadPage<T> = Page<T> & { bookmark?: string }

type ListEnv = { Bindings: Pick<Env, 'PUBLIC_URL'> }

// Every paged list, OCPI sender and management API alike, answers the same way: X-Total-Count, X-Limit and a Link to
// the next page under PUBLIC_URL (the address peers and operators reach, not the one this request came in on), then
// the objects.
const setListHeaders = <E extends ListEnv>(c: Context<E>, query: PageQuery, page: ReadPage<unknown>) =>
  setPageHeaders(c, query, page, { publicUrl: c.env.PUBLIC_URL, bookmark: page.bookmark })

/** An OCPI list page in the envelope, each object converted to the peer's version by `toWire`. */
export function respondPage<T, E extends ListEnv>(c: Context<E>, query: PageQuery, page: ReadPage<T>, toWire: (object: T) => unknown = (object) => object, emptyBecause?: string) {
  setListHeaders(c, query, page)
  // An empty list the caller's roles explain says so, rather than looking like a platform without data.
  return respond(c, page.objects.map(toWire), { status_message: page.objects.length === 0 ? emptyBecause : undefined })
}

/** An OCPI list page whose objects the store already serialized for the peer's version. */
export const respondSerializedPage = <E extends ListEnv>(c: Context<E>, query: PageQuery, page: ReadPage<string>, emptyBecause?: string) =>
  respondListHead(c, serializedPageHead(c, query, page, emptyBecause))

/** Sets the paging headers of a serialized page and returns its body up to the timestamp (`serializedListHead`). */
export function serializedPageHead<E extends ListEnv>(c: Context<E>, query: PageQuery, page: ReadPage<string>, emptyBecause?: string): string {
  setListHeaders(c, query, page)
  return serializedListHead(page.objects, page.objects.length === 0 ? emptyBecause : undefined)
}

/** A management API list page: the objects as a JSON array, paged like the OCPI lists. */
export function respondAdminPage<T, E extends ListEnv>(c: Context<E>, query: PageQuery, page: ReadPage<T>) {
  setListHeaders(c, query, page)
  return c.json(page.objects)
}
