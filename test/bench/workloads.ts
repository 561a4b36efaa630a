/**
 * The requests the bench sends: for each workload, the API request and — for keyword search —
 * the exact engine request the API makes for it, captured by running the product's own search
 * code (src/search.ts) against the same Meilisearch through a recording transport. So "raw" is
 * by construction the same request: same q, filter, facets, limit, attributes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createEngine, createTransport, engineOver, type Transport } from '../../src/engine/client.ts';
import type { PassageDoc } from '../../src/documents.ts';
import { INDEX } from '../../src/settings.ts';
import { FACETS, type Facet, type Filters } from '../../src/filter.ts';
import { createSearcher, type SearchRequest } from '../../src/search.ts';
import { createSynonymIndex } from '../../src/synonyms.ts';
import { loadDictionary } from '../../indexer/dict-files.ts';
import { ROOT } from '../helpers/stack.ts';
import type { LoadRequest } from './load.ts';

export interface Workload {
  name: string;
  description: string;
  api: LoadRequest[];
  /** The engine requests behind `api` (same order), when each API request makes exactly one. */
  raw?: LoadRequest[];
}

export interface KeywordSpec {
  terms: string[];
  synonyms?: Record<string, string[]>;
}

export function publicTerms(): KeywordSpec {
  return JSON.parse(readFileSync(path.join(ROOT, 'test/data/keyword.public.json'), 'utf8')) as KeywordSpec;
}

/** Free-text queries for hybrid search: how people describe a problem, not the notices' words. */
export const HYBRID_QUERIES = [
  '医疗费用过快增长的整改措施',
  '村卫生室建设',
  '医德医风问题整改',
  '医共体',
  '基层医疗人才短缺',
  '公共卫生',
  '药品采购不规范',
  '巡察整改',
  '医疗废弃物处置',
  '台账',
];

interface Recorded {
  method: string;
  path: string;
  body: unknown;
}

/** A transport that forwards to the real one and writes down every request (the engine port runs over it). */
function recording(transport: Transport): Transport & { take(): Recorded[] } {
  let log: Recorded[] = [];
  return {
    url: transport.url,
    request(method, p, body, timeoutMs) {
      log.push({ method, path: p, body });
      return transport.request(method, p, body, timeoutMs);
    },
    close: () => transport.close(),
    take() {
      const out = log;
      log = [];
      return out;
    },
  };
}

/**
 * The API requests of these workloads ask for a fresh answer (`Cache-Control: no-cache`): they
 * measure the uncached path, as raw and the pass-through do. The cache has its own stream (zipf.ts).
 */
const FRESH = { 'cache-control': 'no-cache' };

function qs(params: Record<string, string | number | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') u.set(k, String(v));
  return u.toString();
}

export interface WorkloadInput {
  meiliUrl: string;
  meiliKey: string;
  /** Provinces and years with hits, for filters. */
  provinces: string[];
  years: number[];
  /** Passage ids to ask similar measures for. */
  passageIds: string[];
  embeddings: boolean;
}

/** Builds the workloads and captures the raw engine requests behind the keyword ones. */
export async function buildWorkloads(input: WorkloadInput): Promise<{ workloads: Workload[]; multiRequest: string[] }> {
  const dict = loadDictionary();
  const synonyms = createSynonymIndex(dict.synonyms);
  const rec = recording(createTransport({ url: input.meiliUrl, key: input.meiliKey }));
  const engine = engineOver(rec);
  const searcher = createSearcher(engine, () => synonyms);
  const terms = publicTerms().terms;
  const multiRequest: string[] = [];

  async function keyword(name: string, description: string, reqs: Array<{ q: string; filters: Filters; facets: Facet[] | undefined }>): Promise<Workload> {
    const api: LoadRequest[] = [];
    const raw: LoadRequest[] = [];
    for (const r of reqs) {
      const req: SearchRequest = { q: r.q, filters: r.filters, mode: 'keyword', group: 'passage', sort: 'relevance', offset: 0, limit: 20, facets: r.facets };
      await searcher.keyword(req);
      const calls = rec.take();
      if (calls.length !== 1) {
        // A long phrase is checked against the text first (two engine requests): no one raw twin.
        const note = `${r.q} (${calls.length} engine requests)`;
        if (!multiRequest.includes(note)) multiRequest.push(note);
        continue;
      }
      const facets = r.facets === undefined ? undefined : r.facets.length === 0 ? 'none' : r.facets.join(',');
      api.push({ method: 'GET', path: `/api/search?${qs({ q: r.q, ...r.filters, facets })}`, headers: FRESH });
      raw.push({ method: 'POST', path: calls[0]!.path, body: JSON.stringify(calls[0]!.body), headers: { authorization: `Bearer ${input.meiliKey}` } });
    }
    return { name, description, api, raw };
  }

  const workloads: Workload[] = [];
  workloads.push(
    await keyword(
      'keyword',
      'q = each public eval term, 20 hits, no facets (what the embeddable widget sends)',
      terms.map((q) => ({ q, filters: {}, facets: [] })),
    ),
  );
  workloads.push(
    await keyword(
      'keyword+facets',
      'q = each public eval term, 20 hits, all six facets with true counts (what the search page sends)',
      terms.map((q) => ({ q, filters: {}, facets: undefined })),
    ),
  );
  const filtered: Array<{ q: string; filters: Filters; facets: Facet[] | undefined }> = [];
  terms.forEach((q, i) => {
    filtered.push({ q, filters: { province: input.provinces[i % input.provinces.length] }, facets: undefined });
    filtered.push({ q, filters: { year: input.years[i % input.years.length] }, facets: ['province', 'city', 'level'] });
  });
  workloads.push(await keyword('keyword+filters+facets', 'each term with a province filter (all six facets) or a year filter (three facets), 20 hits', filtered));

  if (input.embeddings) {
    workloads.push({
      name: 'hybrid',
      description: `mode=hybrid, ${HYBRID_QUERIES.length} free-text queries, 20 hits, all six facets; each query's vector is in the embedder's cache after the warm-up round`,
      api: HYBRID_QUERIES.map((q) => ({ method: 'GET', path: `/api/search?${qs({ q, mode: 'hybrid' })}`, headers: FRESH })),
    });
    workloads.push({
      name: 'similar',
      description: `GET /api/passages/:id/similar?limit=10 for ${input.passageIds.length} passages (each passage's text embedded as a query: in the embedder's cache after the warm-up round)`,
      api: input.passageIds.map((id) => ({ method: 'GET', path: `/api/passages/${encodeURIComponent(id)}/similar?limit=10`, headers: FRESH })),
    });
  }
  engine.close();
  return { workloads, multiRequest };
}

/** Provinces and years that have passages, most first; and passage ids spread over the index. */
export async function sampleIndex(meiliUrl: string, meiliKey: string, count = 30): Promise<{ provinces: string[]; years: number[]; passageIds: string[] }> {
  const engine = createEngine({ url: meiliUrl, key: meiliKey });
  try {
    const passages = engine.index<PassageDoc>(INDEX.passages);
    const res = await passages.search({ q: '', facets: ['province', 'year'], page: 1, hitsPerPage: 0 });
    const provinces = Object.keys(res.facetDistribution?.province ?? {}).slice(0, 8);
    const years = Object.keys(res.facetDistribution?.year ?? {}).map(Number).slice(0, 5);
    const ids: string[] = [];
    const step = Math.max(1, Math.floor((res.totalHits ?? 0) / count));
    for (let i = 0; i < count; i++) {
      const page = await passages.fetchDocuments({ offset: i * step, limit: 1, fields: ['id'] });
      if (page.results[0]) ids.push(page.results[0].id);
    }
    return { provinces, years, passageIds: ids };
  } finally {
    engine.close();
  }
}

export { FACETS };
