/**
 * `/api/search` with mode=hybrid or mode=semantic: the search box when the words are not the
 * ones the notices use.
 *
 * - hybrid: every passage that contains the query's terms, exactly as keyword search finds and
 *   orders them, then the passages most similar in meaning that do not (the similar-measure
 *   ranking of similar.ts: vectors blended with the query's words), so 医疗费用过快增长的整改措施
 *   still finds measures about 控制医药费用 and an exact term still puts its exact passages first.
 * - semantic: the passages nearest to the query's embedding, nothing else.
 *
 * The response has the shape of keyword search. `total` counts what the list holds: the exact
 * passages (their true total) plus the similar passages appended (at most `pool`); facets count
 * the same list.
 */
import { buildFilter, FACETS, type Facet } from './filter.ts';
import { matchesQuery, parseQuery, type ParsedQuery } from './query.ts';
import type { PassageDoc } from './documents.ts';
import type { Searcher, SearchRequest, SearchResponse } from './search.ts';
import { toHit } from './search.ts';
import type { Candidate, Similar } from './similar.ts';
import type { Engine } from './engine/port.ts';
import { INDEX } from './settings.ts';
import type { SynonymIndex } from './synonyms.ts';

export interface SemanticOptions {
  /** Similar passages considered (and appended at most) per query. */
  pool?: number;
  index?: string;
}

export interface SemanticSearch {
  search(mode: 'hybrid' | 'semantic', req: SearchRequest): Promise<SearchResponse>;
}

interface Scored {
  passage: Candidate;
  similarity: number;
}

export function createSemanticSearch(
  engine: Engine,
  searcher: Searcher,
  similar: Similar,
  synonyms: () => SynonymIndex,
  options: SemanticOptions = {},
): SemanticSearch {
  const pool = options.pool ?? 100;
  const index = engine.index<PassageDoc>(options.index ?? INDEX.passages);

  async function search(mode: 'hybrid' | 'semantic', req: SearchRequest): Promise<SearchResponse> {
    const started = performance.now();
    const q = req.q.trim();
    // Nothing to mean: browse by filters, as keyword search does.
    if (!q) return { ...(await searcher.keyword(req)), mode };
    const parsed = parseQuery(q, synonyms());
    const filter = buildFilter(req.filters);
    const forms = parsed.marks;
    const words = [...parsed.terms, ...parsed.anyOf.flat()].map((t) => t.text).join(' ');
    // Passages with an excluded term stay out of the similar part too.
    const allowed = (normText: string) => !parsed.excluded.some((t) => t.forms.some((f) => normText.includes(f)));

    if (mode === 'semantic') {
      const ranking = await similar.rank({ normText: words, text: q }, { filter, limit: pool, method: 'vector' });
      let list: Scored[] = ranking.hits
        .filter((h) => allowed(h.passage.normText))
        .map((h) => ({ passage: h.passage, similarity: h.similarity }));
      list = arrange(list, req, new Set());
      return respond(mode, req, started, undefined, list, await shown(list, req, 0), [...forms, ...ranking.marks]);
    }

    const [exact, ranking, exactNotices] = await Promise.all([
      searcher.keyword({ ...req, mode }),
      similar.rank({ normText: words, text: q }, { filter, limit: pool, method: 'hybrid' }),
      req.group === 'notice' ? noticesWithExact(parsed, req) : Promise.resolve(new Set<string>()),
    ]);
    // Passages that contain the terms are already in the exact part.
    let list: Scored[] = ranking.hits
      .filter((h) => !matchesQuery(h.passage.normText, parsed) && allowed(h.passage.normText))
      .map((h) => ({ passage: h.passage, similarity: h.similarity }));
    list = arrange(list, req, exactNotices);
    return respond(mode, req, started, exact, list, await shown(list, req, exact.total), [...forms, ...ranking.marks]);
  }

  /** One per notice (group=notice, skipping notices the exact part has), date order if asked. */
  function arrange(list: Scored[], req: SearchRequest, skipNotices: Set<string>): Scored[] {
    let out = list;
    if (req.group === 'notice') {
      const seen = new Set(skipNotices);
      out = out.filter((s) => !seen.has(s.passage.noticeId) && seen.add(s.passage.noticeId));
    }
    if (req.sort === 'date') {
      out = [...out].sort((a, b) => (b.passage.publishDate ?? '').localeCompare(a.passage.publishDate ?? ''));
    }
    return out;
  }

  /** The similar passages on the page asked for, with every displayed field: the part after the exact hits. */
  async function shown(list: Scored[], req: SearchRequest, exactTotal: number) {
    const start = Math.max(0, req.offset - exactTotal);
    const end = Math.max(0, req.offset + req.limit - exactTotal);
    return similar.complete(list.slice(start, end));
  }

  /** Notices that have an exact hit (the exact part of group=notice lists them). */
  async function noticesWithExact(parsed: ParsedQuery, req: SearchRequest): Promise<Set<string>> {
    const exact = await searcher.exactClauses(parsed, buildFilter(req.filters));
    const res = await index.search({
      q: parsed.engineQuery,
      filter: buildFilter(req.filters, exact),
      facets: ['noticeId'],
      page: 1,
      hitsPerPage: 0,
    });
    return new Set(Object.keys(res.facetDistribution?.noticeId ?? {}));
  }

  function respond(
    mode: 'hybrid' | 'semantic',
    req: SearchRequest,
    started: number,
    exact: SearchResponse | undefined,
    similarList: Scored[],
    similarPage: Awaited<ReturnType<typeof shown>>,
    marks: string[],
  ): SearchResponse {
    const exactTotal = exact?.total ?? 0;
    const facets = Object.fromEntries(FACETS.map((f) => [f, { ...(exact?.facets[f] ?? {}) }])) as Record<Facet, Record<string, number>>;
    const wanted = new Set(req.facets ?? FACETS);
    for (const s of similarList) {
      for (const f of FACETS) {
        if (!wanted.has(f)) continue;
        const v = s.passage[f];
        if (v === null || v === undefined) continue;
        facets[f][String(v)] = (facets[f][String(v)] ?? 0) + 1;
      }
    }
    // The exact part is keyword search's own page; the similar part continues after its last hit.
    const exactHits = exact && req.offset < exactTotal ? exact.hits : [];
    const similarHits = similarPage.map((s) => ({ ...toHit(s.passage, marks), score: Math.round(s.similarity * 10_000) / 10_000 }));
    return {
      query: req.q,
      mode,
      total: exactTotal + similarList.length,
      offset: req.offset,
      limit: req.limit,
      tookMs: Math.round(performance.now() - started),
      hits: [...exactHits, ...similarHits].slice(0, req.limit),
      facets: sortFacets(facets),
    };
  }

  return { search };
}

/** Facet values by count, highest first (as the engine orders them). */
function sortFacets(facets: Record<Facet, Record<string, number>>): Record<Facet, Record<string, number>> {
  return Object.fromEntries(
    Object.entries(facets).map(([f, counts]) => [f, Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)))]),
  ) as Record<Facet, Record<string, number>>;
}
