/**
 * The HTTP API (see README "HTTP API"). Routes only validate, call a service and shape JSON; the
 * work is in src/ and indexer/.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Engine } from '../src/engine/client.ts';
import { buildFilter, FACETS, type Facet, type Filters } from '../src/filter.ts';
import type { Searcher, StoredPassage, Mode } from '../src/search.ts';
import { toHit } from '../src/search.ts';
import { INDEX } from '../src/settings.ts';
import { getDocument } from '../src/engine/indexes.ts';
import { NetworkError } from '../src/engine/network.ts';
import { createCors } from './cors.ts';
import { createFeedApp } from './feeds.ts';
import { ApiError, errorBody, toResponse } from './errors.ts';
import { filterSchema, noticesSchema, parseParams, searchSchema, similarSchema, suggestSchema, type Params } from './params.ts';
import { openApiDocument } from './openapi.ts';
import type { IndexSummary } from '../indexer/run.ts';
import type { SimilarRequest, SimilarResponse } from '../src/similar.ts';

export interface Services {
  engine: Engine;
  searcher: Searcher;
  /** True once the first index run has finished. */
  ready(): boolean;
  upload(files: Array<{ name: string; bytes: Uint8Array }>): Promise<IndexSummary>;
  deleteNotice(id: string): Promise<boolean>;
  reindex(): Promise<IndexSummary>;
  suggest(q: string, limit: number): Promise<string[]>;
  similar?: ((req: SimilarRequest) => Promise<SimilarResponse>) | undefined;
  semantic?: ((mode: Exclude<Mode, 'keyword'>, req: Parameters<Searcher['keyword']>[0]) => ReturnType<Searcher['keyword']>) | undefined;
  version: string;
}

export interface AppOptions {
  adminKey?: string | undefined;
  corsOrigins?: string[] | undefined;
  /** Largest admin upload, bytes. */
  maxUploadBytes?: number;
  /** Static assets (the search page and widget), path → [content type, body]. */
  assets?: Map<string, { type: string; body: string | Uint8Array }>;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function filtersOf(p: Params<typeof filterSchema>): Filters {
  return { province: p.province, city: p.city, county: p.county, level: p.level, inspection: p.inspection, year: p.year, from: p.from, to: p.to };
}

function queryOf(c: Context): Record<string, string[]> {
  return c.req.queries() ?? {};
}

function facetsOf(raw: string | undefined): Facet[] | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'none') return [];
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const f of list) {
    if (!(FACETS as readonly string[]).includes(f)) throw new ApiError(400, 'INVALID_PARAMETER', `facets: unknown facet ${JSON.stringify(f.slice(0, 30))}; known: ${FACETS.join(', ')}`);
  }
  return list as Facet[];
}

export function createApp(services: Services, options: AppOptions = {}): Hono {
  const app = new Hono();
  const publicCors = createCors({ origins: options.corsOrigins });
  const { engine } = services;

  app.onError((err, c) => toResponse(c, err));
  app.notFound((c) => c.json(errorBody('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`), 404));

  app.use('/api/*', async (c, next) => {
    if (c.req.path.startsWith('/api/admin/')) return next();
    return publicCors(c, next);
  });
  app.use('/api/*', async (c, next) => {
    if (!c.req.path.startsWith('/api/admin/') && !services.ready()) {
      return c.json(errorBody('NOT_READY', 'indexing has not finished; try again shortly'), 503);
    }
    return next();
  });

  app.get('/healthz', async (c) => {
    try {
      const [health, version, passages, notices] = await Promise.all([
        engine.request<{ status: string }>('GET', '/health', undefined, 2_000),
        engine.request<{ pkgVersion: string }>('GET', '/version', undefined, 2_000),
        engine.request<{ numberOfDocuments: number }>('GET', `/indexes/${INDEX.passages}/stats`, undefined, 2_000).catch(() => ({ numberOfDocuments: 0 })),
        engine.request<{ numberOfDocuments: number }>('GET', `/indexes/${INDEX.notices}/stats`, undefined, 2_000).catch(() => ({ numberOfDocuments: 0 })),
      ]);
      const ready = services.ready() && health.status === 'available';
      return c.json(
        { status: ready ? 'ok' : 'starting', engine: `meilisearch ${version.pkgVersion}`, version: services.version, notices: notices.numberOfDocuments, passages: passages.numberOfDocuments },
        ready ? 200 : 503,
      );
    } catch (e) {
      const status = e instanceof NetworkError ? `engine nodes unavailable: ${e.nodes.join(', ')}` : 'engine unavailable';
      return c.json({ status, engine: 'meilisearch', version: services.version, notices: null, passages: null }, 503);
    }
  });

  app.get('/api/search', async (c) => {
    const p = parseParams(searchSchema, queryOf(c));
    const req = {
      q: p.q ?? '',
      filters: filtersOf(p),
      mode: p.mode as Mode,
      group: p.group as 'passage' | 'notice',
      sort: p.sort as 'relevance' | 'date',
      offset: p.offset,
      limit: p.limit,
      facets: facetsOf(p.facets),
    };
    if (req.mode === 'keyword') return c.json(await services.searcher.keyword(req));
    if (!services.semantic) throw new ApiError(503, 'MODEL_UNAVAILABLE', `mode=${req.mode} needs the embedding model, which is not loaded; keyword search still works`);
    return c.json(await services.semantic(req.mode, req));
  });

  app.get('/api/passages/:id', async (c) => {
    const id = c.req.param('id');
    if (!ID.test(id)) throw new ApiError(400, 'INVALID_PARAMETER', 'id: letters, digits, _ and - only');
    const p = await getDocument<StoredPassage>(engine, INDEX.passages, id);
    if (!p) throw new ApiError(404, 'NOT_FOUND', `no passage ${id}`);
    return c.json(toHit(p, []));
  });

  app.get('/api/passages/:id/similar', async (c) => {
    const id = c.req.param('id');
    if (!ID.test(id)) throw new ApiError(400, 'INVALID_PARAMETER', 'id: letters, digits, _ and - only');
    const p = parseParams(similarSchema, queryOf(c));
    if (!services.similar) throw new ApiError(503, 'MODEL_UNAVAILABLE', 'similar measures need the embedding model, which is not loaded; keyword search still works');
    return c.json(await services.similar({ passageId: id, filters: filtersOf(p), limit: p.limit, sameNotice: p.sameNotice === 'true' }));
  });

  app.post('/api/similar', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.json(errorBody('TOO_LARGE', 'body: at most 64 KiB'), 413) }), async (c) => {
    const body = await c.req.json<unknown>().catch(() => {
      throw new ApiError(400, 'INVALID_BODY', 'body: expected JSON { text, limit?, filters? }');
    });
    const b = (body ?? {}) as { text?: unknown; limit?: unknown; filters?: unknown };
    if (typeof b.text !== 'string' || !b.text.trim()) throw new ApiError(400, 'INVALID_PARAMETER', 'text: a non-empty string is required');
    if (b.text.length > 2000) throw new ApiError(400, 'INVALID_PARAMETER', `text: at most 2000 characters (got ${b.text.length})`);
    const limit = b.limit === undefined ? 10 : b.limit;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100) throw new ApiError(400, 'INVALID_PARAMETER', 'limit: an integer from 1 to 100');
    if (b.filters !== undefined && (typeof b.filters !== 'object' || b.filters === null || Array.isArray(b.filters))) throw new ApiError(400, 'INVALID_PARAMETER', 'filters: an object such as { "province": "四川省" }');
    const rawFilters = Object.fromEntries(Object.entries((b.filters ?? {}) as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'number' ? String(v) : (v as string)]));
    for (const [k, v] of Object.entries(rawFilters)) {
      if (!(k in filterSchema)) throw new ApiError(400, 'INVALID_PARAMETER', `filters.${k.slice(0, 30)}: unknown filter; known: ${Object.keys(filterSchema).join(', ')}`);
      if (typeof v !== 'string') throw new ApiError(400, 'INVALID_PARAMETER', `filters.${k}: expected a string`);
    }
    const f = parseParams(filterSchema, rawFilters);
    if (!services.similar) throw new ApiError(503, 'MODEL_UNAVAILABLE', 'similar measures need the embedding model, which is not loaded; keyword search still works');
    return c.json(await services.similar({ text: b.text, filters: filtersOf(f), limit, sameNotice: true }));
  });

  app.get('/api/notices', async (c) => {
    const p = parseParams(noticesSchema, queryOf(c));
    const res = await engine.request<{ hits: unknown[]; totalHits: number }>('POST', `/indexes/${INDEX.notices}/search`, {
      q: '',
      filter: buildFilter(filtersOf(p)),
      sort: ['publishDay:desc'],
      page: Math.floor(p.offset / p.limit) + 1,
      hitsPerPage: p.limit,
      attributesToRetrieve: ['id', 'title', 'org', 'province', 'city', 'county', 'level', 'inspection', 'publishDate', 'feedbackDate', 'inspectionStart', 'inspectionEnd', 'passageCount', 'source'],
    });
    return c.json({ total: res.totalHits, offset: p.offset, limit: p.limit, notices: res.hits });
  });

  app.get('/api/notices/:id', async (c) => {
    const id = c.req.param('id');
    if (!ID.test(id)) throw new ApiError(400, 'INVALID_PARAMETER', 'id: letters, digits, _ and - only');
    const notice = await getDocument<Record<string, unknown>>(engine, INDEX.notices, id);
    if (!notice) throw new ApiError(404, 'NOT_FOUND', `no notice ${id}`);
    const passages = await engine.request<{ results: StoredPassage[] }>('POST', `/indexes/${INDEX.passages}/documents/fetch`, {
      filter: `noticeId = "${id}"`,
      limit: 10_000,
      fields: ['id', 'headingPath', 'problem', 'text', 'position'],
    });
    const sorted = passages.results.sort((a, b) => a.position - b.position);
    const { sourceKey: _s, contentHash: _c, ...shown } = notice;
    return c.json({ ...shown, passages: sorted });
  });

  app.get('/api/suggest', async (c) => {
    const p = parseParams(suggestSchema, queryOf(c));
    return c.json({ suggestions: p.q ? await services.suggest(p.q, p.limit) : [] });
  });

  app.route('/', createFeedApp((req) => services.searcher.keyword(req)));

  app.get('/openapi.json', (c) => c.json(openApiDocument(services.version)));

  // Admin: off unless ADMIN_KEY is set; never open to other origins (no CORS headers).
  app.use('/api/admin/*', async (c, next) => {
    if (!options.adminKey) throw new ApiError(404, 'NOT_FOUND', 'admin routes are off (set ADMIN_KEY to enable them)');
    const auth = c.req.header('authorization') ?? '';
    if (!timingSafeEqual(auth, `Bearer ${options.adminKey}`)) throw new ApiError(401, 'UNAUTHORIZED', 'Authorization: Bearer <ADMIN_KEY> required');
    return next();
  });

  const maxUpload = options.maxUploadBytes ?? 20 * 1024 * 1024;
  app.post(
    '/api/admin/documents',
    bodyLimit({ maxSize: maxUpload, onError: (c) => c.json(errorBody('TOO_LARGE', `upload: at most ${maxUpload} bytes`), 413) }),
    async (c) => {
      const type = c.req.header('content-type') ?? '';
      const files: Array<{ name: string; bytes: Uint8Array }> = [];
      if (type.startsWith('multipart/form-data')) {
        const form = await c.req.formData();
        for (const [, v] of form.entries()) {
          if (typeof v === 'object' && 'arrayBuffer' in v) files.push({ name: v.name, bytes: new Uint8Array(await v.arrayBuffer()) });
        }
      } else if (type.startsWith('application/json')) {
        const body = await c.req.json<unknown>().catch(() => null);
        const list = Array.isArray(body) ? body : [body];
        for (const item of list) {
          const d = item as { name?: unknown; content?: unknown };
          if (typeof d?.name !== 'string' || typeof d.content !== 'string') throw new ApiError(400, 'INVALID_BODY', 'body: expected { name, content } (or a list of them)');
          files.push({ name: d.name, bytes: new TextEncoder().encode(d.content) });
        }
      } else {
        throw new ApiError(400, 'INVALID_BODY', 'Content-Type: multipart/form-data (files) or application/json ({ name, content })');
      }
      if (files.length === 0) throw new ApiError(400, 'INVALID_BODY', 'no files in the request');
      for (const f of files) {
        if (!/^[^/\\\u0000]{1,200}\.(txt|html?|md)$/i.test(f.name)) throw new ApiError(400, 'INVALID_PARAMETER', `name: ${JSON.stringify(f.name.slice(0, 60))} must be a plain file name ending in .txt, .html, .htm or .md`);
      }
      const summary = await services.upload(files);
      return c.json(summary, summary.indexed > 0 || summary.unchanged > 0 ? 200 : 422);
    },
  );

  app.delete('/api/admin/notices/:id', async (c) => {
    const id = c.req.param('id');
    if (!ID.test(id)) throw new ApiError(400, 'INVALID_PARAMETER', 'id: letters, digits, _ and - only');
    if (!(await services.deleteNotice(id))) throw new ApiError(404, 'NOT_FOUND', `no notice ${id}`);
    return c.json({ deleted: id });
  });

  app.post('/api/admin/reindex', async (c) => c.json(await services.reindex()));

  for (const [path, asset] of options.assets ?? []) {
    app.get(path, (c) => {
      c.header('content-type', asset.type);
      c.header('cache-control', 'no-cache');
      return c.body(typeof asset.body === 'string' ? asset.body : new Uint8Array(asset.body));
    });
  }
  return app;
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
