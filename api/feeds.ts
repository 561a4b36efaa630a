/**
 * Feeds of a search (docs/page-and-widget.md, "Feeds"): `GET /api/feed.atom` and `GET /api/feed.json` list the
 * newest notices that match a query and filters, for feed readers and other systems that follow
 * a topic. The search is keyword search by notice, newest first; the documents are src/feed.ts.
 */
import { Hono } from 'hono';
import { atomFeed, feedEntries, jsonFeed, type FeedRequest } from '../src/feed.ts';
import type { SearchRequest, SearchResponse } from '../src/search.ts';
import { feedSchema, parseParams } from './params.ts';

export function createFeedApp(search: (req: SearchRequest) => Promise<SearchResponse>): Hono {
  const app = new Hono();

  async function entries(query: Record<string, string[]>, url: string) {
    const p = parseParams(feedSchema, query);
    const filters = { province: p.province, city: p.city, county: p.county, level: p.level, inspection: p.inspection, year: p.year, from: p.from, to: p.to };
    const res = await search({ q: p.q ?? '', filters, mode: 'keyword', group: 'notice', sort: 'date', offset: 0, limit: p.limit, facets: [] });
    // Links point at this server as the request reached it.
    const req: FeedRequest = { q: p.q ?? '', filters, base: new URL('/', url).href, self: url };
    return { req, list: feedEntries(res.hits, req.base, req.q) };
  }

  app.get('/api/feed.atom', async (c) => {
    const { req, list } = await entries(c.req.queries() ?? {}, c.req.url);
    c.header('content-type', 'application/atom+xml; charset=utf-8');
    return c.body(atomFeed(req, list));
  });

  app.get('/api/feed.json', async (c) => {
    const { req, list } = await entries(c.req.queries() ?? {}, c.req.url);
    c.header('content-type', 'application/feed+json; charset=utf-8');
    return c.body(JSON.stringify(jsonFeed(req, list)));
  });

  return app;
}
