/**
 * The response cache of the public read routes (docs/cache.md): search in every mode,
 * suggestions, notices, passages and similar measures. Answers are kept as the bytes that were
 * sent, keyed by the normalised request (method, path, query parameters in name order, and for
 * `POST /api/similar` the JSON body with its keys in order), in an LRU bounded by bytes
 * (`CACHE_BYTES`; 0 keeps none), each tagged with the index version it was computed under
 * (api/index-version.ts). An answer is served only while the version is still the same, so a
 * write, here or in another process on the same engine, retires every answer made before it.
 *
 * HTTP caching of the public GET answers on top: `ETag` (the index version and a hash of the
 * request), `Cache-Control: public, max-age=CACHE_MAX_AGE` (`no-cache` at 0), and a matching
 * `If-None-Match` answered 304 from the version alone, without the engine. CORS's `Vary: Origin`
 * (api/cors.ts) is on every answer, 304s included, when origins are restricted.
 *
 * On a POST route the middleware goes after the route's body limit: it reads the body for the key.
 *
 * A request with `Cache-Control: no-cache` is computed afresh (and its answer kept): what a hard
 * reload sends, and how the bench measures the uncached path.
 *
 * Routes answer through `json(c, value)` rather than `c.json`: the cache keeps the very string the
 * route serialised. Reading it back out of the Response instead would turn @hono/node-server's
 * light response into a full WHATWG one on every miss (see api/cors.ts for that cost).
 *
 * @example
 * const cache = createResponseCache({ maxBytes: 64 << 20, maxAgeSeconds: 5, version });
 * app.get('/api/suggest', cache.middleware, async (c) => cache.json(c, { suggestions: await suggest(q) }));
 */
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { LRUCache } from 'lru-cache';
import type { IndexVersion } from './index-version.ts';

export interface ResponseCacheOptions {
  /** Bytes of answers kept (bodies and keys); 0 keeps none (ETags and 304s still work). */
  maxBytes: number;
  /** `Cache-Control` max-age of public GET answers, seconds; 0 sends `no-cache` (revalidate each time). */
  maxAgeSeconds: number;
  version: IndexVersion;
}

export interface ResponseCache {
  middleware: MiddlewareHandler;
  /** Answers `value` as JSON (200), keeping the answer when the middleware asked for it. */
  json(c: Context, value: unknown): Response;
}

interface Entry {
  version: string;
  body: Uint8Array<ArrayBuffer>;
}

interface Pending {
  version: string;
  key: string;
  headers: Record<string, string>;
}

const JSON_TYPE = 'application/json';

/** JSON with every object's keys in order: one key for bodies that differ only in key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(Reflect.get(value, k))}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Whether an If-None-Match header names this ETag (weak comparison, RFC 9110 13.1.2). */
function matches(ifNoneMatch: string, etag: string): boolean {
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === bare;
  });
}

export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const opts = options;
  const cacheControl = opts.maxAgeSeconds > 0 ? `public, max-age=${opts.maxAgeSeconds}` : 'no-cache';
  const lru =
    opts.maxBytes > 0
      ? new LRUCache<string, Entry>({ maxSize: opts.maxBytes, sizeCalculation: (e, key) => e.body.byteLength + key.length * 2 + 64 })
      : undefined;
  const pending = new WeakMap<Context, Pending>();
  let lastVersion: string | undefined;

  /** The request's key, or undefined when it is not one we cache. */
  async function keyOf(c: Context): Promise<string | undefined> {
    const url = c.req.url;
    const at = url.indexOf('?');
    const params = new URLSearchParams(at < 0 ? '' : url.slice(at + 1));
    params.sort();
    const base = `${c.req.path}?${params.toString()}`;
    if (c.req.method === 'GET') return `GET ${base}`;
    if (c.req.method !== 'POST') return undefined;
    // Mounted after the route's body limit, which cuts a body that grows past it while read here.
    // A body over the limit throws here, and the body limit answers 413.
    const text = await c.req.text();
    try {
      return `POST ${base} ${canonicalJson(JSON.parse(text))}`;
    } catch {
      return undefined; // not JSON: the route answers 400
    }
  }

  const middleware: MiddlewareHandler = async (c, next) => {
    const key = await keyOf(c);
    const version = key === undefined ? undefined : await opts.version.current();
    if (key === undefined || version === undefined) return next();
    if (version !== lastVersion) {
      // Every kept answer is older than this version: free the memory now rather than by LRU.
      lru?.clear();
      lastVersion = version;
    }
    const headers: Record<string, string> = { 'content-type': JSON_TYPE };
    if (c.req.method === 'GET') {
      const etag = `W/"${version}-${createHash('sha1').update(key).digest('base64url').slice(0, 22)}"`;
      headers.etag = etag;
      headers['cache-control'] = cacheControl;
      const inm = c.req.header('if-none-match');
      if (inm !== undefined && matches(inm, etag)) return c.body(null, 304, { etag, 'cache-control': cacheControl });
    }
    if (lru) {
      const fresh = /\bno-cache\b/i.test(c.req.header('cache-control') ?? '');
      const entry = fresh ? undefined : lru.get(key);
      if (entry && entry.version === version) return c.body(entry.body, 200, { ...headers, 'x-cache': 'hit' });
      headers['x-cache'] = 'miss';
    }
    pending.set(c, { version, key, headers });
    await next();
  };

  return {
    middleware,
    json(c, value) {
      // Encoded once, here: a string body is measured (Buffer.byteLength) and then encoded again
      // by @hono/node-server, and the cache would have encoded it a third time; an answer of 20
      // hits is ~25 KB of UTF-8, and each pass cost ~40 µs a request (npm run bench's keyword answers).
      const body = Buffer.from(JSON.stringify(value));
      const p = pending.get(c);
      if (!p) return c.body(body, 200, { 'content-type': JSON_TYPE });
      if (lru) lru.set(p.key, { version: p.version, body });
      return c.body(body, 200, p.headers);
    },
  };
}
