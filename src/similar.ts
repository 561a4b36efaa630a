/**
 * Similar rectification measures: passages that address the same problem as a given passage (or
 * a free text), most similar first, from other notices by default.
 *
 * Two kinds of evidence are blended, because each fails where the other holds (measured by
 * `npm run eval`, section "Similar measures"):
 *
 * - meaning: cosine of bge-small-zh vectors (a query passage's bare text, or a free text, embedded);
 *   it finds 控制医药费用 for 医疗费用过快增长 but ranks measures written in the same bureaucratic
 *   style close to anything;
 * - words: BM25 over the query's content words (jieba search mode), with document frequencies
 *   counted exactly in the index; rare shared words (清退, 医德医风, 工单) are what tie two measures
 *   on the same specific problem together.
 *
 * Candidates come from the engine (the nearest vectors, and the passages holding the query's
 * rarest words, both under the request's filters); they are scored here: each score is turned
 * into a z-score over the leading candidates and the two are averaged with equal weight. A
 * measure republished word for word (in another notice, or twice in one) is shown once, with the
 * ids of its copies.
 *
 * I/O goes through the injected engine port and embedder only.
 *
 * @example
 * ```ts
 * const similar = createSimilar(engine, embedder, { terms: (t) => segmenter.cutForSearch(t) });
 * const res = await similar.search({ text: '加强村卫生室建设,消除行政村卫生室空白点', filters: {}, limit: 10, sameNotice: true });
 * res.hits[0]; // { id, text, notice: { province, … }, similarity: 0.83, score: 2.4, duplicates: [] }
 * ```
 */
import { LRUCache } from 'lru-cache';
import { PASSAGE_FIELDS, type PassageDoc, type PassageField, type StoredPassage } from './documents.ts';
import type { Engine } from './engine/port.ts';
import { CodedError } from './errors.ts';
import { buildFilter, FACETS, idFilter, quote, type Filters } from './filter.ts';
import { termPhrase } from './grams.ts';
import { normalize } from './normalize.ts';
import { toHit, type Hit } from './search.ts';
import { EMBEDDER, INDEX } from './settings.ts';

/**
 * How candidates are ranked: `hybrid` (the product), or one kind of evidence alone (`vector`,
 * `keyword`) for measuring what each contributes.
 */
export type SimilarMethod = 'hybrid' | 'vector' | 'keyword';

export interface SimilarRequest {
  /** A passage in the index, or… */
  passageId?: string | undefined;
  /** …a free text (an excerpt or a question). */
  text?: string | undefined;
  filters: Filters;
  limit: number;
  /** Include passages of the query passage's own notice (never the passage itself). */
  sameNotice: boolean;
  /** Default `hybrid`. */
  method?: SimilarMethod | undefined;
}

export interface SimilarHit extends Hit {
  /** Cosine similarity of the embedded passages (1 = same direction); bge's unrelated passages sit near 0.3–0.5. */
  similarity: number;
  /** Ids of near-identical passages collapsed into this one (the same measure republished). */
  duplicates: string[];
}

export interface SimilarResponse {
  passageId: string | null;
  text: string;
  tookMs: number;
  hits: SimilarHit[];
}

export type SimilarErrorCode =
  /** No passage with that id. */
  | 'NOT_FOUND'
  /** The passage has no stored vector: the index was built without the model. Re-index with EMBEDDINGS=on. */
  | 'VECTORS_MISSING';

export class SimilarError extends CodedError<SimilarErrorCode> {
  override readonly name = 'SimilarError';
}

/** What similar search needs of the embed stage (src/embed.ts Embedder has it). */
export interface QueryEmbedder {
  embedQuery(text: string, options: { instruction: boolean }): Promise<Float32Array>;
}

export interface SimilarOptions {
  /** Content words of a normalized text, in order (repeats allowed): the keyword evidence. */
  terms: (normText: string) => string[];
  index?: string;
  /** Weight of the vector z-score in the blend; the keyword z-score gets the rest. */
  vectorWeight?: number;
  /** Embed free-text queries with bge's retrieval instruction (measured: it does not help here). */
  instruction?: boolean;
  /**
   * For a passage query, the vector to search with: its bare text embedded as a query with bge's
   * retrieval instruction (`instruction`, the default: on both judged query files it ranks better
   * than the passage's stored vector, `npm run eval -- --explore`), or the stored vector itself
   * (`stored`: no inference per request).
   */
  passageVector?: 'stored' | 'instruction';
  /** Nearest vectors taken as candidates. */
  vectorCandidates?: number;
  /** Passages taken per rare query word. */
  termCandidates?: number;
  /** How many of the query's rarest words bring candidates. */
  candidateTerms?: number;
  /** Distinct query words scored at most (a long passage has ~60). */
  maxTerms?: number;
  /** Two passages whose character-bigram sets overlap this much (Jaccard) are one measure. */
  duplicateJaccard?: number;
  /** A query word held by less than this share of passages is marked in the hits. */
  markShare?: number;
  /**
   * The index version (api/index-version.ts): word frequencies are kept per version, so a word
   * is counted once until the next write. Without it every ranking counts its words afresh.
   */
  version?: (() => Promise<string | undefined>) | undefined;
  /** Word frequencies kept at most (about 100 bytes each). */
  frequencyCacheSize?: number;
}

const defaults = {
  index: INDEX.passages,
  vectorWeight: 0.5,
  instruction: false,
  passageVector: 'instruction' as 'stored' | 'instruction',
  vectorCandidates: 100,
  termCandidates: 30,
  candidateTerms: 8,
  maxTerms: 64,
  duplicateJaccard: 0.8,
  markShare: 0.05,
  frequencyCacheSize: 50_000,
};

/** The query as the ranking sees it. */
export interface SimilarQuery {
  /** Normalized text whose words are the keyword evidence. */
  normText: string;
  /** Its vector; embedded from `text` when absent (free-text queries). */
  vector?: Float32Array | undefined;
  text: string;
}

export interface RankOptions {
  /** Engine filter expression (buildFilter). */
  filter?: string | undefined;
  limit: number;
  method?: SimilarMethod;
  /** Also drop passages that are near-identical to the query's own text (a passage query). */
  dropCopiesOfQuery?: boolean;
}

/**
 * What ranking, grouping and facet counts read of a candidate. A ranking weighs a few hundred
 * candidates and shows a page of them: fetching every displayed field of each cost the engine
 * and the API more than the ranking (the text twice, as text and normText); `complete` fetches
 * the rest for the passages shown.
 */
export const CANDIDATE_FIELDS = ['id', 'noticeId', 'normText', 'publishDate', ...FACETS] as const satisfies ReadonlyArray<PassageField>;
type CandidateField = (typeof CANDIDATE_FIELDS)[number];
export type Candidate = Pick<PassageDoc, CandidateField>;

export interface Ranked {
  passage: Candidate;
  similarity: number;
  score: number;
  duplicates: string[];
}

export interface Ranking {
  hits: Ranked[];
  /** Query words worth marking in the hits: rare in the index, present in the text. */
  marks: string[];
}

export interface Similar {
  search(req: SimilarRequest): Promise<SimilarResponse>;
  /** The ranking behind `search`, for other callers (hybrid and semantic /api/search). */
  rank(query: SimilarQuery, options: RankOptions): Promise<Ranking>;
  /** The embedding of a free-text query, as `rank` makes it. */
  embed(text: string): Promise<Float32Array>;
  /** Every displayed field of ranked passages, in their order (one gone since is left out). */
  complete<T extends { passage: Candidate }>(ranked: T[]): Promise<Array<T & { passage: StoredPassage }>>;
}

export function createSimilar(engine: Engine, embedder: QueryEmbedder, options: SimilarOptions): Similar {
  const opts = { ...defaults, ...withoutUndefined(options) };
  const uid = opts.index;
  const index = engine.index<PassageDoc>(uid);

  const embed = (text: string) => embedder.embedQuery(text, { instruction: opts.instruction });

  /** Vector search under a filter: passages with their cosine (Meilisearch scores (1 + cos) / 2). */
  async function nearest(vector: Float32Array, filter: string | undefined, limit: number): Promise<Array<{ passage: Candidate; cos: number }>> {
    if (limit <= 0) return [];
    const res = await index.search({
      vector: Array.from(vector),
      hybrid: { embedder: EMBEDDER, semanticRatio: 1 },
      filter,
      limit,
      showRankingScore: true,
      attributesToRetrieve: CANDIDATE_FIELDS,
    });
    return res.hits.map((h) => ({ passage: h, cos: 2 * (h._rankingScore ?? 0) - 1 }));
  }

  // A passage query has up to `maxTerms` words and each count is an exhaustive phrase search over
  // the whole index: most of the engine's work per ranking (profiled on the bench index). The
  // counts change only with a write, and the same words come back in query after query.
  const counted = new LRUCache<string, number>({ max: opts.frequencyCacheSize });
  const ALL = '\u0000all';

  /** Passage count and, per word, how many passages hold it (whole index, no filter). */
  async function frequencies(words: string[]): Promise<{ n: number; df: number[] }> {
    const version = opts.version ? await opts.version() : undefined;
    const key = (w: string) => `${version}\u0000${w}`;
    const all = [ALL, ...words];
    const counts = all.map((w) => (version === undefined ? undefined : counted.get(key(w))));
    const wanted = all.filter((_, i) => counts[i] === undefined);
    if (wanted.length > 0) {
      const results = await engine.multiSearch<PassageDoc, 'id'>(wanted.map((w) =>
        w === ALL
          ? { indexUid: uid, q: '', page: 1, hitsPerPage: 0 }
          : { indexUid: uid, q: termPhrase(w), page: 1, hitsPerPage: 0, attributesToSearchOn: ['grams'] },
      ));
      const fresh = new Map(wanted.map((w, i) => [w, results[i]?.totalHits ?? results[i]?.estimatedTotalHits ?? 0]));
      all.forEach((w, i) => (counts[i] ??= fresh.get(w)));
      if (version !== undefined) for (const [w, c] of fresh) counted.set(key(w), c);
    }
    return { n: counts[0] ?? 0, df: counts.slice(1).map((c) => c ?? 0) };
  }

  async function holding(words: string[], filter: string | undefined): Promise<Candidate[]> {
    if (words.length === 0) return [];
    const results = await engine.multiSearch<PassageDoc, CandidateField>(words.map((w) => ({
      indexUid: uid, q: termPhrase(w), filter, limit: opts.termCandidates, attributesToSearchOn: ['grams'], attributesToRetrieve: CANDIDATE_FIELDS,
    })));
    return results.flatMap((r) => r.hits);
  }

  async function rank(query: SimilarQuery, ro: RankOptions): Promise<Ranking> {
    const method = ro.method ?? 'hybrid';
    const words = queryWords(opts.terms(query.normText), opts.maxTerms);
    const vector = query.vector ?? (await embed(query.text));
    const counting = frequencies(words);
    // The words' branch does not wait for the vector search: it asks for its passages' cosines
    // itself, so the vector search overlaps the counts, the word search and the cosines.
    const [near, freq, held] = await Promise.all([
      method === 'keyword' ? Promise.resolve([]) : nearest(vector, ro.filter, opts.vectorCandidates),
      counting,
      method === 'vector' ? Promise.resolve([]) : counting.then((f) => heldByRareWords(words, f, vector, method, ro)),
    ]);
    const pool = new Map<string, { passage: Candidate; cos: number | undefined }>();
    for (const { passage, cos } of near) pool.set(passage.id, { passage, cos });
    for (const h of held) if (!pool.has(h.passage.id)) pool.set(h.passage.id, h);

    const candidates = [...pool.values()];
    const lexical = bm25(candidates.map((c) => c.passage.normText), words, freq.df, freq.n);
    const cosines = candidates.map((c) => c.cos ?? 0);
    const scores =
      method === 'vector' ? cosines : method === 'keyword' ? lexical : blend([cosines, lexical], [opts.vectorWeight, 1 - opts.vectorWeight]);
    const order = candidates.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || (candidates[a]!.passage.id < candidates[b]!.passage.id ? -1 : 1));
    const kept = collapseDuplicates(
      order.map((i) => ({ id: candidates[i]!.passage.id, normText: candidates[i]!.passage.normText })),
      opts.duplicateJaccard,
      ro.dropCopiesOfQuery ? query.normText : undefined,
      ro.limit,
    );
    const byId = new Map(candidates.map((c, i) => [c.passage.id, { ...c, score: scores[i]! }]));
    const hits = kept.map((k) => {
      const c = byId.get(k.id)!;
      return { passage: c.passage, similarity: c.cos ?? NaN, score: c.score, duplicates: k.duplicates };
    });
    const missing = hits.filter((h) => Number.isNaN(h.similarity));
    if (missing.length) {
      const cos = await cosinesOf(missing.map((h) => h.passage.id), vector, ro.filter);
      for (const h of missing) h.similarity = cos.get(h.passage.id) ?? 0;
    }
    const marks = words.filter((w, i) => (freq.df[i] ?? 0) > 0 && (freq.df[i] ?? 0) < opts.markShare * freq.n);
    return { hits, marks };
  }

  /** The passages of the query's rarest words, with their cosines for a hybrid ranking. */
  async function heldByRareWords(
    words: string[],
    freq: { n: number; df: number[] },
    vector: Float32Array,
    method: SimilarMethod,
    ro: RankOptions,
  ): Promise<Array<{ passage: Candidate; cos: number | undefined }>> {
    // A word only the query passage holds brings nothing.
    const minDf = ro.dropCopiesOfQuery ? 2 : 1;
    const rare = words
      .map((w, i) => ({ w, df: freq.df[i] ?? 0 }))
      .filter((x) => x.df >= minDf && x.df < freq.n)
      .sort((a, b) => a.df - b.df)
      .slice(0, opts.candidateTerms)
      .map((x) => x.w);
    const byId = new Map((await holding(rare, ro.filter)).map((p) => [p.id, p]));
    if (method !== 'hybrid' || byId.size === 0) return [...byId.values()].map((passage) => ({ passage, cos: undefined }));
    const cos = await cosinesOf([...byId.keys()], vector, ro.filter);
    return [...byId.values()].map((passage) => ({ passage, cos: cos.get(passage.id) ?? 0 }));
  }

  /** Cosines of given passages to a vector: a vector search restricted to their ids. */
  async function cosinesOf(ids: string[], vector: Float32Array, filter: string | undefined): Promise<Map<string, number>> {
    const only = idFilter(ids);
    const res = await index.search({
      vector: Array.from(vector),
      hybrid: { embedder: EMBEDDER, semanticRatio: 1 },
      filter: filter ? `(${filter}) AND ${only}` : only,
      limit: ids.length,
      showRankingScore: true,
      attributesToRetrieve: ['id'],
    });
    return new Map(res.hits.map((h) => [h.id, 2 * (h._rankingScore ?? 0) - 1]));
  }

  async function search(req: SimilarRequest): Promise<SimilarResponse> {
    const started = performance.now();
    let query: SimilarQuery;
    const extra: string[] = [];
    if (req.passageId !== undefined) {
      const doc = await storedPassage(req.passageId);
      const stored = doc._vectors?.[EMBEDDER]?.embeddings?.[0];
      if (!stored || stored.length === 0) {
        throw new SimilarError('VECTORS_MISSING', `passage ${req.passageId} has no vector: the index was built without the embedding model; re-index with EMBEDDINGS=on`);
      }
      const vector = opts.passageVector === 'instruction' ? await embedder.embedQuery(doc.text, { instruction: true }) : Float32Array.from(stored);
      query = { normText: doc.normText, vector, text: doc.text };
      extra.push(`id != ${quote(doc.id)}`);
      if (!req.sameNotice) extra.push(`noticeId != ${quote(doc.noticeId)}`);
    } else {
      const text = req.text ?? '';
      query = { normText: normalize(text), text };
    }
    const ranking = await rank(query, {
      filter: buildFilter(req.filters, extra),
      limit: req.limit,
      method: req.method ?? 'hybrid',
      dropCopiesOfQuery: req.passageId !== undefined,
    });
    const hits = await complete(ranking.hits);
    return {
      passageId: req.passageId ?? null,
      text: query.text,
      tookMs: Math.round(performance.now() - started),
      hits: hits.map((h) => ({
        ...toHit({ ...h.passage, _rankingScore: h.score }, ranking.marks),
        similarity: round(h.similarity),
        score: round(h.score),
        duplicates: h.duplicates,
      })),
    };
  }

  async function complete<T extends { passage: Candidate }>(ranked: T[]): Promise<Array<T & { passage: StoredPassage }>> {
    if (ranked.length === 0) return [];
    const res = await index.search({
      q: '',
      filter: idFilter(ranked.map((r) => r.passage.id)),
      limit: ranked.length,
      attributesToRetrieve: PASSAGE_FIELDS,
    });
    const byId = new Map(res.hits.map((h) => [h.id, h]));
    return ranked.flatMap((r) => {
      const passage = byId.get(r.passage.id);
      return passage ? [{ ...r, passage }] : [];
    });
  }

  async function storedPassage(id: string) {
    const doc = await index.getDocument(id, { fields: PASSAGE_FIELDS, retrieveVectors: true });
    if (!doc) throw new SimilarError('NOT_FOUND', `no passage ${id}`);
    return doc;
  }

  return { search, rank, embed, complete };
}

/** Distinct words in order of first occurrence, at most `max`. */
export function queryWords(words: readonly string[], max: number): string[] {
  return [...new Set(words)].slice(0, max);
}

/**
 * BM25 (k1 1.2, b 0.75) of each text for the query words, counting occurrences as substrings
 * (the way keyword search matches); `df[i]` passages of `n` hold `words[i]`. Lengths are
 * normalized by the mean length of the texts given.
 */
export function bm25(texts: readonly string[], words: readonly string[], df: readonly number[], n: number, k1 = 1.2, b = 0.75): number[] {
  const avg = texts.reduce((s, t) => s + t.length, 0) / Math.max(1, texts.length) || 1;
  const idf = words.map((_, i) => {
    const d = df[i] ?? 0;
    return d > 0 ? Math.log(1 + (n - d + 0.5) / (d + 0.5)) : 0;
  });
  return texts.map((t) => {
    let s = 0;
    words.forEach((w, i) => {
      if (idf[i] === 0) return;
      const f = occurrences(t, w);
      if (f) s += (idf[i]! * f * (k1 + 1)) / (f + k1 * (1 - b + (b * t.length) / avg));
    });
    return s;
  });
}

function occurrences(text: string, word: string): number {
  let n = 0;
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) n++;
  return n;
}

/**
 * Weighted sum of z-scores. Each list is standardized by the mean and deviation of its `top`
 * best values, so that what separates the leading candidates (not the long tail) sets the scale.
 */
export function blend(lists: readonly (readonly number[])[], weights: readonly number[], top = 100): number[] {
  const zs = lists.map((l) => zScores(l, top));
  return lists[0]!.map((_, i) => zs.reduce((s, z, k) => s + weights[k]! * z[i]!, 0));
}

export function zScores(values: readonly number[], top = 100): number[] {
  const best = [...values].sort((a, b) => b - a).slice(0, top);
  const mean = best.reduce((s, v) => s + v, 0) / Math.max(1, best.length);
  const sd = Math.sqrt(best.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, best.length)) || 1;
  return values.map((v) => (v - mean) / sd);
}

/**
 * A text's distinct character bigrams as sorted numbers (two code points in one safe integer):
 * comparing two sorted lists is a merge, with no strings built and no hashing, which is what
 * made this step the largest CPU cost of a similar-measure request (`--cpu-prof`, docs/similar.md).
 */
export function bigramKeys(text: string): Float64Array {
  // One pass over UTF-16 units into one preallocated array: Array.from over a copy without
  // whitespace made this the largest cost of the collapse (--cpu-prof on hybrid search).
  const keys = new Float64Array(Math.max(0, text.length - 1));
  let n = 0;
  let prev = -1;
  let chars = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = (c - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        i++;
      }
    }
    if (isSpace(c)) continue;
    chars++;
    if (prev >= 0) keys[n++] = prev * 0x110000 + c;
    prev = c;
  }
  if (chars === 1) return Float64Array.of(prev);
  const sorted = keys.subarray(0, n).sort();
  let m = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[m++] = sorted[i]!;
  return sorted.subarray(0, m);
}

/** What `\s` matches in a regular expression, by code point. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Jaccard of two bigram sets, or 0 as soon as their sizes alone rule out `atLeast`. */
export function bigramJaccard(a: Float64Array, b: Float64Array, atLeast = 0): number {
  if (a.length === 0 && b.length === 0) return 1;
  // |A ∩ B| / |A ∪ B| ≤ min / max: most pairs of measures are ruled out by length alone.
  if (Math.min(a.length, b.length) < atLeast * Math.max(a.length, b.length)) return 0;
  let inter = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      inter++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return inter / (a.length + b.length - inter);
}

/**
 * Keeps the first of each group of near-identical passages (character-bigram Jaccard ≥
 * `threshold`), in the order given, listing the others as its duplicates. With `query`, passages
 * near-identical to it are dropped (a copy of the query passage is not a similar measure).
 *
 * `keep`: only the first `keep` groups are wanted. A passage that matches none of them would
 * start or join a later group, which is not returned, so it is not compared further: the answer
 * is the same as without `keep`, cut to `keep`, at a fraction of the comparisons.
 */
export function collapseDuplicates(
  ranked: ReadonlyArray<{ id: string; normText: string }>,
  threshold: number,
  query?: string,
  keep = Infinity,
): Array<{ id: string; duplicates: string[] }> {
  const q = query === undefined ? undefined : bigramKeys(query);
  const kept: Array<{ id: string; grams: Float64Array; duplicates: string[] }> = [];
  for (const r of ranked) {
    const grams = bigramKeys(r.normText);
    if (q && bigramJaccard(grams, q, threshold) >= threshold) continue;
    const same = kept.find((k) => bigramJaccard(k.grams, grams, threshold) >= threshold);
    if (same) same.duplicates.push(r.id);
    else if (kept.length < keep) kept.push({ id: r.id, grams, duplicates: [] });
  }
  return kept.map(({ id, duplicates }) => ({ id, duplicates }));
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
