/**
 * The public routes (README "HTTP API"): search, similar measures, documents, suggestions,
 * health and the OpenAPI document. Each validates its request with a schema (params.ts), calls
 * one service (services.ts) and shapes the JSON; errors are answered by api/errors.ts.
 *
 * | route | service |
 * |---|---|
 * | `GET /api/search` | `search` (src/search.ts, src/semantic.ts) |
 * | `GET /api/passages/:id` | `passage` (src/lookup.ts) |
 * | `GET /api/passages/:id/similar`, `POST /api/similar` | `similar` (src/similar.ts) |
 * | `GET /api/notices`, `GET /api/notices/:id` | `notices`, `notice` (src/lookup.ts) |
 * | `GET /api/suggest` | `suggest` (src/suggest.ts) |
 * | `GET /api/feed.atom`, `GET /api/feed.json` | `search` by notice, newest first (feeds.ts, src/feed.ts) |
 * | `GET /healthz` | `health` |
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { FACETS, type Facet, type Filters } from '../src/filter.ts';
import type { LimitsConfig } from '../src/config.ts';
import { clientOf } from './client-address.ts';
import { createCors } from './cors.ts';
import { createFeedApp } from './feeds.ts';
import { ApiError, errorBody } from './errors.ts';
import { createLimits } from './limits.ts';
import { openApiDocument } from './openapi.ts';
import { createResponseCache } from './response-cache.ts';
import { filterSchema, idSchema, noticesSchema, parseParams, searchSchema, similarBodySchema, similarSchema, suggestSchema, type Params } from './params.ts';
import type { Services } from './services.ts';

function filtersOf(p: Params<typeof filterSchema>): Filters {
  return { province: p.province, city: p.city, county: p.county, level: p.level, inspection: p.inspection, year: p.year, from: p.from, to: p.to };
}

function queryOf(c: Context): Record<string, string[]> {
  return c.req.queries() ?? {};
}

function idOf(c: Context): string {
  return parseParams(idSchema, { id: c.req.param('id') }).id;
}

const isFacet = (f: string): f is Facet => (FACETS as readonly string[]).includes(f);

function facetsOf(raw: string | undefined): Facet[] | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'none') return [];
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = list.find((f) => !isFacet(f));
  if (unknown !== undefined) throw new ApiError('INVALID_PARAMETER', `facets: unknown facet ${JSON.stringify(unknown.slice(0, 30))}; known: ${FACETS.join(', ')}`);
  return list.filter(isFacet);
}

export interface PublicOptions {
  corsOrigins?: string[] | undefined;
  /** The response cache and HTTP caching (api/response-cache.ts): CACHE_BYTES, CACHE_MAX_AGE. Unset: no response cache, max-age 5 s. */
  cache?: { bytes: number; maxAgeSeconds: number } | undefined;
  /** Rate limits and the model routes' cap (api/limits.ts); none when absent. */
  limits?: LimitsConfig | undefined;
  /** The key a client is counted under (api/client-address.ts). */
  clientOf?: ((c: Context) => string) | undefined;
}

export function createPublicApp(services: Services, options: PublicOptions = {}): Hono {
  const app = new Hono();

  app.use('/api/*', createCors({ origins: options.corsOrigins }));
  const limits = options.limits ? createLimits({ ...options.limits, clientOf: options.clientOf ?? clientOf(0) }) : undefined;
  if (limits) app.use('/api/*', limits.budgets);
  app.use('/api/*', async (c, next) => {
    if (!services.ready()) throw new ApiError('NOT_READY', 'indexing has not finished; try again shortly');
    return next();
  });

  const cache = createResponseCache({ maxBytes: options.cache?.bytes ?? 0, maxAgeSeconds: options.cache?.maxAgeSeconds ?? 5, version: services.indexVersion });
  for (const route of ['/api/search', '/api/suggest', '/api/notices', '/api/notices/*', '/api/passages/*']) app.use(route, cache.middleware);
  // The model cap after the cache (limits.ts): a cached answer never waits for the model.
  const cap: MiddlewareHandler = limits?.cap ?? ((_c, next) => next());
  for (const route of ['/api/search', '/api/passages/*']) app.use(route, cap);
  const json = cache.json;

  app.get('/healthz', async (c) => {
    const { ok, body } = await services.health();
    return c.json(body, ok ? 200 : 503);
  });

  app.get('/api/search', async (c) => {
    const p = parseParams(searchSchema, queryOf(c));
    return json(c, await services.search({ q: p.q ?? '', filters: filtersOf(p), mode: p.mode, group: p.group, sort: p.sort, offset: p.offset, limit: p.limit, facets: facetsOf(p.facets) }));
  });

  app.get('/api/passages/:id', async (c) => json(c, await services.passage(idOf(c))));

  app.get('/api/passages/:id/similar', async (c) => {
    const id = idOf(c);
    const p = parseParams(similarSchema, queryOf(c));
    return json(c, await services.similar({ passageId: id, filters: filtersOf(p), limit: p.limit, sameNotice: p.sameNotice === 'true' }));
  });

  app.post('/api/similar', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.json(errorBody('TOO_LARGE', 'body: at most 64 KiB'), 413) }), cache.middleware, cap, async (c) => {
    const body = await c.req.json<unknown>().catch(() => {
      throw new ApiError('INVALID_BODY', 'body: expected JSON { text, limit?, filters? }');
    });
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError('INVALID_BODY', 'body: expected JSON { text, limit?, filters? }');
    const b = parseParams(similarBodySchema, Object.fromEntries(Object.entries(body)), 'json');
    return json(c, await services.similar({ text: b.text, filters: filtersOf(b.filters), limit: b.limit, sameNotice: true }));
  });

  app.get('/api/notices', async (c) => {
    const p = parseParams(noticesSchema, queryOf(c));
    return json(c, await services.notices(filtersOf(p), p.offset, p.limit));
  });

  app.get('/api/notices/:id', async (c) => json(c, await services.notice(idOf(c))));

  app.get('/api/suggest', async (c) => {
    const p = parseParams(suggestSchema, queryOf(c));
    return json(c, { suggestions: p.q ? await services.suggest(p.q, p.limit) : [] });
  });

  app.route('/', createFeedApp((req) => services.search(req)));

  app.get('/openapi.json', (c) => c.json(openApiDocument(services.version)));

  return app;
}
