/**
 * A realistic query log for the bench: a search box on many sites sees the same few hundred
 * terms over and over and a long tail of others. The stream draws from at least 1,000 distinct
 * searches, ranked by how common their term is in the indexed corpus (the suggestion vocabulary,
 * `terms` index: what people are offered as they type), with Zipf-distributed frequency
 * (P(rank r) ∝ 1 / r^s). Some searches have two terms, some a province filter; most ask no facets
 * (the widget), every third the six facets (the search page).
 *
 * Each distinct search is captured with the exact engine request the API makes for it (as
 * workloads.ts does), so raw Meilisearch and the pass-through floor get the same stream.
 */
import { createTransport, engineOver, type Transport } from '../../src/engine/client.ts';
import type { TermDoc } from '../../src/documents.ts';
import type { Facet, Filters } from '../../src/filter.ts';
import { QueryError } from '../../src/query.ts';
import { createSearcher, type SearchRequest } from '../../src/search.ts';
import { INDEX } from '../../src/settings.ts';
import { createSynonymIndex } from '../../src/synonyms.ts';
import { loadDictionary } from '../../indexer/dict-files.ts';
import type { LoadRequest } from './load.ts';

export interface ZipfOptions {
  meiliUrl: string;
  meiliKey: string;
  /** Provinces that have passages, for the filtered searches. */
  provinces: string[];
  /** Distinct searches tried (those the API answers with two engine requests are then left out). */
  distinct?: number;
  /** Draws in the stream; the load generator goes round it. */
  length?: number;
  /** Zipf exponent s. */
  exponent?: number;
  seed?: number;
}

export interface ZipfStream {
  distinct: number;
  multiTerm: number;
  filtered: number;
  withFacets: number;
  /** Distinct searches left out: the API makes two engine requests for them (a long phrase). */
  skipped: number;
  /** Searches the API refuses with 400 QUERY_TOO_BROAD (a phrase in too many passages to check), left out. */
  tooBroad: number;
  length: number;
  exponent: number;
  /** How many of the draws the 10 and the 100 commonest searches make. */
  top10Share: number;
  top100Share: number;
  /** Each distinct search: the API path and its engine request. */
  searches: Array<{ api: string; raw: LoadRequest }>;
  /** The stream, as indexes into `searches`. */
  order: number[];
}

/** mulberry32: a small seeded PRNG, so every run draws the same stream. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Ranks drawn with P(r) ∝ 1/(r+1)^s. */
export function zipfDraws(n: number, length: number, exponent: number, seed: number): number[] {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) cdf[r] = sum += 1 / (r + 1) ** exponent;
  const next = random(seed);
  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    const x = next() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    out.push(lo);
  }
  return out;
}

function recording(transport: Transport): Transport & { take(): Array<{ path: string; body: unknown }> } {
  let log: Array<{ path: string; body: unknown }> = [];
  return {
    url: transport.url,
    request(method, p, body, timeoutMs) {
      log.push({ path: p, body });
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

export async function buildZipfStream(options: ZipfOptions): Promise<ZipfStream> {
  const o = { distinct: 1300, length: 20_000, exponent: 1, seed: 1, ...options };
  const rec = recording(createTransport({ url: o.meiliUrl, key: o.meiliKey, timeoutMs: 120_000 }));
  const engine = engineOver(rec);
  try {
    const { results } = await engine.index<TermDoc>(INDEX.terms).fetchDocuments({ fields: ['term', 'weight'], limit: 1_000_000 });
    rec.take();
    // Words people type: two or more characters, Chinese.
    const terms = results.filter((t) => t.term.length >= 2 && /^\p{Script=Han}+$/u.test(t.term)).sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1)).map((t) => t.term);
    if (terms.length < o.distinct) throw new Error(`the terms index has ${terms.length} usable terms; the Zipf stream wants ${o.distinct}`);
    const synonyms = createSynonymIndex(loadDictionary().synonyms);
    const searcher = createSearcher(engine, () => synonyms);
    const searches: ZipfStream['searches'] = [];
    let multiTerm = 0;
    let filtered = 0;
    let withFacets = 0;
    let skipped = 0;
    let tooBroad = 0;
    for (let i = 0; i < o.distinct; i++) {
      const two = i % 4 === 1;
      const q = two ? `${terms[i]} ${terms[(i * 7 + 3) % o.distinct]}` : terms[i]!;
      const filters: Filters = i % 5 === 2 ? { province: o.provinces[i % o.provinces.length] } : {};
      const facets: Facet[] | undefined = i % 3 === 0 ? undefined : [];
      const req: SearchRequest = { q, filters, mode: 'keyword', group: 'passage', sort: 'relevance', offset: 0, limit: 20, facets };
      try {
        await searcher.keyword(req);
      } catch (e) {
        rec.take();
        if (!(e instanceof QueryError && e.code === 'QUERY_TOO_BROAD')) throw e;
        tooBroad++;
        continue;
      }
      const calls = rec.take();
      if (calls.length !== 1) {
        skipped++;
        continue;
      }
      const params = new URLSearchParams({ q });
      if (filters.province) params.set('province', filters.province);
      if (facets) params.set('facets', 'none');
      searches.push({
        api: `/api/search?${params.toString()}`,
        raw: { method: 'POST', path: calls[0]!.path, body: JSON.stringify(calls[0]!.body), headers: { authorization: `Bearer ${o.meiliKey}` } },
      });
      if (two) multiTerm++;
      if (filters.province) filtered++;
      if (!facets) withFacets++;
    }
    const order = zipfDraws(searches.length, o.length, o.exponent, o.seed);
    const share = (k: number) => Math.round((order.filter((r) => r < k).length / order.length) * 100) / 100;
    return { distinct: searches.length, multiTerm, filtered, withFacets, skipped, tooBroad, length: o.length, exponent: o.exponent, top10Share: share(10), top100Share: share(100), searches, order };
  } finally {
    engine.close();
  }
}
