/**
 * Keyword search: every passage that satisfies the query (all its required terms or their
 * declared synonyms, one of each group of alternatives, none of the excluded terms), only
 * those, with true totals and facet counts.
 *
 * The engine can only AND phrases. Whatever else the query asks is resolved into ids first and
 * handed to the one request that lists and counts, as a filter (`exactClauses`): so the total
 * and every facet count are the engine's own counts over exactly the right passages.
 */
import { PASSAGE_FIELDS, type PassageDoc, type PassageField } from './documents.ts';
import type { Engine, HitMeta } from './engine/port.ts';
import { buildFilter, FACETS, type Facet, type Filters } from './filter.ts';
import { highlight } from './highlight.ts';
import { enginePhrases, isPlain, matchesQuery, parseQuery, QueryError, type ParsedQuery, type Term } from './query.ts';
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
  /** group=notice: how many passages of this notice match the query. */
  matches?: number;
  /** group=notice: the notice's best matching passages, this hit first, at most NOTICE_PASSAGES. */
  passages?: PassageMatch[];
}

export interface PassageMatch {
  id: string;
  highlight: string;
  headingPath: string[];
}

/** group=notice: matching passages shown per notice. */
const NOTICE_PASSAGES = 2;
/** group=notice: matching passages of a page's notices read to find each one's best. */
const NOTICE_PASSAGES_READ = 500;

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

/**
 * At most this many candidates are checked against their text (long phrases, alternatives,
 * exclusions); a query that needs more is refused rather than counted wrong.
 */
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
  /**
   * Filter clauses that, added to `filter` with the query's `engineQuery`, leave exactly the
   * passages that satisfy it: `id IN [...]` when it has alternatives, else `id NOT IN [...]` for
   * the engine's matches that fail it (long phrases, exclusions); none for a plain query.
   */
  exactClauses(parsed: ParsedQuery, filter: string | undefined): Promise<string[]>;
}

const idList = (ids: Iterable<string>) => `[${[...ids].map((id) => JSON.stringify(id)).join(', ')}]`;

export function createSearcher(engine: Engine, synonyms: () => SynonymIndex, uid: string = INDEX.passages): Searcher {
  const index = engine.index<PassageDoc>(uid);

  /** Every passage the engine matches for `terms` under `filter`, with its text to check. */
  async function candidates(terms: readonly Term[], filter: string | undefined): Promise<Array<{ id: string; normText: string }>> {
    const res = await index.search({
      q: enginePhrases(terms),
      filter,
      page: 1,
      hitsPerPage: CHECK_LIMIT,
      attributesToRetrieve: ['id', 'normText'],
    });
    const total = res.totalHits ?? res.hits.length;
    if (total > CHECK_LIMIT) {
      throw new QueryError('QUERY_TOO_BROAD', `q: more than ${CHECK_LIMIT} passages must be checked for this query (${total}); add a term or a filter`);
    }
    return res.hits;
  }

  async function exactClauses(parsed: ParsedQuery, filter: string | undefined): Promise<string[]> {
    if (isPlain(parsed)) return [];
    if (parsed.anyOf.length) {
      // Every hit has the required terms and one alternative of each group, so the matches of
      // (required + one alternative) over the smallest group hold them all.
      const group = parsed.anyOf.reduce((a, b) => (b.length < a.length ? b : a));
      const found = await Promise.all(group.map((alt) => candidates([...parsed.terms, alt], filter)));
      const ids = new Set<string>();
      for (const list of found) for (const c of list) if (matchesQuery(c.normText, parsed)) ids.add(c.id);
      return [`id IN ${idList(ids)}`];
    }
    // Required terms only, some excluded or long: take out the engine's matches that fail.
    const lists = parsed.needsCheck
      ? [await candidates(parsed.terms, filter)]
      : await Promise.all(parsed.excluded.map((x) => candidates([...parsed.terms, x], filter)));
    const wrong = new Set<string>();
    for (const list of lists) for (const c of list) if (!matchesQuery(c.normText, parsed)) wrong.add(c.id);
    return wrong.size ? [`id NOT IN ${idList(wrong)}`] : [];
  }

  async function keyword(req: SearchRequest): Promise<SearchResponse> {
    const started = performance.now();
    const parsed = parseQuery(req.q, synonyms());
    const filter = buildFilter(req.filters, await exactClauses(parsed, buildFilter(req.filters)));
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
    const forms = parsed.marks;
    const hits = rows.map((p) => toHit(p, forms));
    if (req.group === 'notice' && hits.length) await addNoticePassages(hits, parsed, filter, req.sort, forms);
    const facetCounts = Object.fromEntries(FACETS.map((f) => [f, res.facetDistribution?.[f] ?? {}])) as Record<Facet, Record<string, number>>;
    return {
      query: req.q,
      mode: req.mode,
      total: res.totalHits ?? res.estimatedTotalHits ?? rows.length,
      offset: req.offset,
      limit: req.limit,
      tookMs: Math.round(performance.now() - started),
      hits,
      facets: facetCounts,
    };
  }

  /**
   * One card per notice shows how many of its passages match and its best ones: the same query
   * and filter narrowed to the page's notices, counted by notice, read in ranking order.
   */
  async function addNoticePassages(hits: Hit[], parsed: ParsedQuery, filter: string | undefined, sort: Sort, forms: readonly string[]): Promise<void> {
    const byNotice = new Map(hits.map((h) => [h.noticeId, h]));
    const res = await index.search({
      q: parsed.engineQuery,
      filter: [filter, `noticeId IN ${idList(byNotice.keys())}`].filter(Boolean).join(' AND '),
      facets: ['noticeId'],
      page: 1,
      hitsPerPage: NOTICE_PASSAGES_READ,
      attributesToRetrieve: ['id', 'noticeId', 'text', 'headingPath'],
      ...(sort === 'date' ? { sort: ['publishDay:desc'] } : {}),
    });
    for (const h of hits) {
      h.matches = res.facetDistribution?.noticeId?.[h.noticeId] ?? 1;
      h.passages = [{ id: h.id, highlight: h.highlight, headingPath: h.headingPath }];
    }
    for (const p of res.hits) {
      const h = byNotice.get(p.noticeId)!;
      if (h.passages!.length >= NOTICE_PASSAGES || h.passages!.some((x) => x.id === p.id)) continue;
      h.passages!.push({ id: p.id, highlight: highlight(p.text, forms), headingPath: p.headingPath });
    }
  }

  return { keyword, exactClauses };
}
