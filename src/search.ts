/**
 * Keyword search: every passage that contains all the query's terms (or their declared
 * synonyms), only those, with true totals and facet counts.
 */
import { PASSAGE_FIELDS, type PassageDoc, type PassageField } from './documents.ts';
import type { Engine, HitMeta } from './engine/port.ts';
import { buildFilter, FACETS, type Facet, type Filters } from './filter.ts';
import { highlight } from './highlight.ts';
import { matchesAll, parseQuery, type ParsedQuery } from './query.ts';
import { INDEX } from './settings.ts';
import type { SynonymIndex } from './synonyms.ts';

export type Mode = 'keyword' | 'hybrid' | 'semantic';
export type Group = 'passage' | 'notice';
export type Sort = 'relevance' | 'date';

export interface SearchRequest {
  q: string;
  filters: Filters;
  mode: Mode;
  group: Group;
  sort: Sort;
  offset: number;
  limit: number;
  /** Facets to count; all by default. */
  facets?: readonly Facet[] | undefined;
}

export interface HitNotice {
  title: string;
  org: string | null;
  province: string | null;
  city: string | null;
  county: string | null;
  level: string;
  inspection: string | null;
  publishDate: string | null;
  sourceUrl: string | null;
}

export interface Hit {
  id: string;
  noticeId: string;
  text: string;
  highlight: string;
  headingPath: string[];
  problem: string | null;
  position: number;
  notice: HitNotice;
  score: number;
}

export interface SearchResponse {
  query: string;
  mode: Mode;
  total: number;
  offset: number;
  limit: number;
  tookMs: number;
  hits: Hit[];
  facets: Record<Facet, Record<string, number>>;
}

/** What a hit shows of a stored passage (its normalized text and year are for matching and facets). */
export const HIT_FIELDS = PASSAGE_FIELDS.filter((f): f is HitField => f !== 'normText' && f !== 'year');
export type HitField = Exclude<PassageField, 'normText' | 'year'>;

/** Long phrases are checked against the text for at most this many candidates. */
const CHECK_LIMIT = 20_000;

export function toHit(p: Pick<PassageDoc, HitField> & HitMeta, forms: readonly string[]): Hit {
  return {
    id: p.id,
    noticeId: p.noticeId,
    text: p.text,
    highlight: highlight(p.text, forms),
    headingPath: p.headingPath,
    problem: p.problem,
    position: p.position,
    notice: {
      title: p.title,
      org: p.org,
      province: p.province,
      city: p.city,
      county: p.county,
      level: p.level,
      inspection: p.inspection,
      publishDate: p.publishDate,
      sourceUrl: p.sourceUrl ?? null,
    },
    score: p._rankingScore ?? 0,
  };
}

export interface Searcher {
  keyword(req: SearchRequest): Promise<SearchResponse>;
  /** The ids of passages the engine's phrase match returns but whose text lacks a term. */
  falseMatches(parsed: ParsedQuery, filter: string | undefined): Promise<string[]>;
}

export function createSearcher(engine: Engine, synonyms: () => SynonymIndex, uid: string = INDEX.passages): Searcher {
  const index = engine.index<PassageDoc>(uid);

  async function falseMatches(parsed: ParsedQuery, filter: string | undefined): Promise<string[]> {
    if (!parsed.needsCheck) return [];
    const res = await index.search({
      q: parsed.engineQuery,
      filter,
      page: 1,
      hitsPerPage: CHECK_LIMIT,
      attributesToRetrieve: ['id', 'normText'],
    });
    return res.hits.filter((h) => !matchesAll(h.normText, parsed.terms)).map((h) => h.id);
  }

  async function keyword(req: SearchRequest): Promise<SearchResponse> {
    const started = performance.now();
    const parsed = parseQuery(req.q, synonyms());
    const userFilter = buildFilter(req.filters);
    const wrong = await falseMatches(parsed, userFilter);
    const filter = buildFilter(req.filters, wrong.length ? [`id NOT IN [${wrong.map((id) => JSON.stringify(id)).join(', ')}]`] : []);
    const facets = req.facets ?? FACETS;
    // page/hitsPerPage makes Meilisearch count every hit; an offset that is not a multiple of
    // the limit is served from a page that starts at 0 and sliced.
    const aligned = req.offset % req.limit === 0;
    const res = await index.search({
      q: parsed.engineQuery,
      filter,
      facets,
      page: aligned ? req.offset / req.limit + 1 : 1,
      hitsPerPage: aligned ? req.limit : req.offset + req.limit,
      attributesToRetrieve: HIT_FIELDS,
      showRankingScore: true,
      ...(req.sort === 'date' ? { sort: ['publishDay:desc'] } : {}),
      ...(req.group === 'notice' ? { distinct: 'noticeId' } : {}),
    });
    const rows = aligned ? res.hits : res.hits.slice(req.offset);
    const forms = parsed.terms.flatMap((t) => t.forms);
    const facetCounts = Object.fromEntries(FACETS.map((f) => [f, res.facetDistribution?.[f] ?? {}])) as Record<Facet, Record<string, number>>;
    return {
      query: req.q,
      mode: req.mode,
      total: res.totalHits ?? res.estimatedTotalHits ?? rows.length,
      offset: req.offset,
      limit: req.limit,
      tookMs: Math.round(performance.now() - started),
      hits: rows.map((p) => toHit(p, forms)),
      facets: facetCounts,
    };
  }

  return { keyword, falseMatches };
}
