/**
 * Similar-measure quality, measured on a running stack (real model, real Meilisearch) against a
 * judged query file (test/data/similar.public.json; see similar-judge.ts for the judging rules).
 *
 * Methods, each asked for the same query:
 * - keyword: the query's words alone (BM25 over the passages holding them; any word may match),
 *   through a similarity request, not the exact keyword route;
 * - vectors: the query's embedding alone (nearest passages);
 * - hybrid: both blended (the similar-measure ranking);
 * - route: what a user gets: GET /api/passages/:id/similar for a passage query (the whole
 *   passage's text embedded as a query; its own notice excluded), POST /api/similar for a
 *   text query.
 * The first three take the query as text (a passage query's excerpt as given). For text queries,
 * /api/search mode=hybrid and mode=semantic are measured too.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createSimilar, type SimilarMethod, type SimilarRequest, type SimilarResponse } from '../../src/similar.ts';
import { contentTerms } from '../../src/segment.ts';
import type { Stack } from '../helpers/stack.ts';
import { CORPUS } from '../helpers/stack.ts';
import type { NoticeDoc, PassageDoc } from '../../src/documents.ts';
import { INDEX } from '../../src/settings.ts';
import {
  mapAnchors, mean, queryPassage, reportOf, reportRanges, score,
  type JudgedPassage, type Scores, type SimilarQuery, type SimilarSpec,
} from './similar-judge.ts';

export interface MethodScores {
  method: string;
  passage: { ndcg: number; recall2: number; n: number } | null;
  text: { ndcg: number; recall2: number; n: number } | null;
  perQuery: Array<{ id: string; ndcg: number; recall2: number }>;
}

type Ranker = (q: SimilarQuery, qp: JudgedPassage | undefined) => Promise<string[]>;

/** Hits asked of the text methods: own-report passages are dropped by the judge before the cut at 10. */
const DEPTH = 60;

/** Every indexed passage with the report it belongs to (by its notice's source file). */
export async function judgedPassages(stack: Stack, ranges: ReturnType<typeof reportRanges>): Promise<JudgedPassage[]> {
  const engine = stack.runtime.engine;
  const notices = await engine.index<NoticeDoc>(INDEX.notices).fetchDocuments({ limit: 10_000, fields: ['id', 'source'] });
  const sourceOf = new Map(notices.results.map((n) => [n.id, path.basename(n.source)]));
  const files = new Map(readdirSync(CORPUS).map((f) => [f, readFileSync(path.join(CORPUS, f), 'utf8')]));
  const out: JudgedPassage[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await engine.index<PassageDoc>(INDEX.passages).fetchDocuments({ limit: 1000, offset, fields: ['id', 'noticeId', 'normText'] });
    for (const p of page.results) {
      const file = sourceOf.get(p.noticeId) ?? '';
      out.push({ ...p, report: reportOf(p.normText, file, files.get(file) ?? '', ranges) });
    }
    if (page.results.length < 1000) return out;
  }
}

export interface SimilarEvalOptions {
  /** Also measure alternatives to the defaults (instruction prefix, blend weights). */
  explore?: boolean;
}

export async function evaluateSimilar(stack: Stack, spec: SimilarSpec, options: SimilarEvalOptions = {}): Promise<MethodScores[]> {
  const passages = await judgedPassages(stack, reportRanges(spec.meta.report));
  const services = stack.services;
  if (!stack.runtime.embedder) throw new Error('similar search is not available: start the stack with the embedding model (WITH_EMBEDDINGS)');
  const similar = services.similar;
  const ask = (method: SimilarMethod, text: string, extra: Partial<SimilarRequest> = {}) =>
    similar({ text, filters: {}, limit: DEPTH, sameNotice: true, method, ...extra }).then(shown);

  const methods: Array<[string, Ranker, 'both' | 'text']> = [
    ['keyword', (q) => ask('keyword', q.query), 'both'],
    ['vectors', (q) => ask('vector', q.query), 'both'],
    ['hybrid', (q) => ask('hybrid', q.query), 'both'],
    ['similar-measure route', async (q, qp) => {
      if (qp) {
        const r = await stack.call(`/api/passages/${qp.id}/similar?limit=10`);
        if (r.status !== 200) throw new Error(`similar ${qp.id}: ${r.status} ${JSON.stringify(r.body)}`);
        return shown(r.body);
      }
      const r = await stack.call('/api/similar', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: q.query, limit: 10 }) });
      if (r.status !== 200) throw new Error(`similar ${q.id}: ${r.status} ${JSON.stringify(r.body)}`);
      return shown(r.body);
    }, 'both'],
    ['/api/search mode=hybrid', (q) => searchIds(stack, q.query, 'hybrid'), 'text'],
    ['/api/search mode=semantic', (q) => searchIds(stack, q.query, 'semantic'), 'text'],
  ];

  if (options.explore && stack.runtime.embedder) {
    const { segmenter, dict, engine, embedder } = stack.runtime;
    const terms = contentTerms(segmenter, dict.stopWords);
    const variant = (label: string, opts: Parameters<typeof createSimilar>[2], method: SimilarMethod): [string, Ranker, 'both'] => {
      const s = createSimilar(engine, embedder, opts);
      return [label, (q) => s.search({ text: q.query, filters: {}, limit: DEPTH, sameNotice: true, method }).then(shown), 'both'];
    };
    methods.push(
      variant('vectors, query with instruction', { terms, instruction: true }, 'vector'),
      variant('hybrid, query with instruction', { terms, instruction: true }, 'hybrid'),
      variant('hybrid, vector weight 0.3', { terms, vectorWeight: 0.3 }, 'hybrid'),
      variant('hybrid, vector weight 0.7', { terms, vectorWeight: 0.7 }, 'hybrid'),
      variant('hybrid, 50 vector candidates', { terms, vectorCandidates: 50 }, 'hybrid'),
      variant('hybrid, 4 rarest words', { terms, candidateTerms: 4 }, 'hybrid'),
    );
    /** The similar-measure route's requests (a passage query leaves out its own notice) to another ranking. */
    const route = (label: string, opts: Parameters<typeof createSimilar>[2], textSameNotice = true): [string, Ranker, 'both'] => {
      const s = createSimilar(engine, embedder, opts);
      return [label, async (q, qp) => shown(await s.search(qp
        ? { passageId: qp.id, filters: {}, limit: 10, sameNotice: false }
        : { text: q.query, filters: {}, limit: 10, sameNotice: textSameNotice })), 'both'];
    };
    methods.push(
      route('route, 50 vector candidates', { terms, vectorCandidates: 50 }),
      route('route, 4 rarest words', { terms, candidateTerms: 4 }),
      route('route, passage query by its stored vector', { terms, passageVector: 'stored' }, false),
    );
  }

  const results: MethodScores[] = [];
  for (const [method, rank, kinds] of methods) {
    const perQuery: MethodScores['perQuery'] = [];
    const byKind: Record<'passage' | 'text', Scores[]> = { passage: [], text: [] };
    for (const [kind, queries] of [['passage', spec.passageQueries], ['text', spec.textQueries]] as const) {
      if (kind === 'passage' && kinds === 'text') continue;
      for (const q of queries) {
        const qp = kind === 'passage' ? queryPassage(q, passages) : undefined;
        if (kind === 'passage' && !qp) throw new Error(`${q.id}: its excerpt is in no passage`);
        // The rule of the query file: a passage query's own report never counts.
        const exclude = new Set(qp ? passages.filter((p) => p.id === qp.id || p.report === qp.report).map((p) => p.id) : []);
        const s = score(q, mapAnchors(q, passages), await rank(q, qp), exclude);
        byKind[kind].push(s);
        perQuery.push({ id: q.id, ndcg: s.ndcg, recall2: s.recall2 });
      }
    }
    const summary = (xs: Scores[]) => (xs.length ? { ndcg: mean(xs.map((x) => x.ndcg)), recall2: mean(xs.map((x) => x.recall2)), n: xs.length } : null);
    results.push({ method, passage: summary(byKind.passage), text: summary(byKind.text), perQuery });
  }
  return results;
}

/**
 * The passages a similar response shows, in order: each hit, then the near-identical copies
 * collapsed into it (listed with it as `duplicates`). A copy earns nothing the hit earned.
 */
function shown(res: SimilarResponse): string[] {
  return res.hits.flatMap((h) => [h.id, ...h.duplicates]);
}

async function searchIds(stack: Stack, q: string, mode: 'hybrid' | 'semantic'): Promise<string[]> {
  const r = await stack.call(`/api/search?q=${encodeURIComponent(q.slice(0, 200))}&mode=${mode}&limit=${DEPTH}&facets=none`);
  if (r.status !== 200) throw new Error(`search ${mode} ${q}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.hits.map((h: { id: string }) => h.id);
}

/** Unmapped anchors (a parser change dropped or split their text), to report next to the table. */
export async function unmappedAnchors(stack: Stack, spec: SimilarSpec): Promise<string[]> {
  const passages = await judgedPassages(stack, reportRanges(spec.meta.report));
  return [...spec.passageQueries, ...spec.textQueries].flatMap((q) => mapAnchors(q, passages).unmapped.map((a) => `${q.id}: ${a}`));
}

export function similarTable(results: MethodScores[]): string {
  const cell = (x: { ndcg: number; recall2: number } | null) => (x ? `${x.ndcg.toFixed(3)} | ${x.recall2.toFixed(3)}` : '– | –');
  const np = results.find((r) => r.passage)?.passage?.n ?? 0;
  const nt = results.find((r) => r.text)?.text?.n ?? 0;
  return [
    `| method | passage queries (${np}) nDCG@10 | grade-2 recall@10 | text queries (${nt}) nDCG@10 | grade-2 recall@10 |`,
    '|---|---:|---:|---:|---:|',
    ...results.map((r) => `| ${r.method} | ${cell(r.passage)} | ${cell(r.text)} |`),
  ].join('\n');
}

export function perQueryTable(results: MethodScores[]): string {
  const ids = results[0]?.perQuery.map((p) => p.id) ?? [];
  return [
    `| query | ${results.map((r) => r.method).join(' | ')} |`,
    `|---|${results.map(() => '---:').join('|')}|`,
    ...ids.map((id) => `| ${id} | ${results.map((r) => { const p = r.perQuery.find((x) => x.id === id); return p ? `${p.ndcg.toFixed(2)} / ${p.recall2.toFixed(2)}` : '–'; }).join(' | ')} |`),
  ].join('\n');
}
