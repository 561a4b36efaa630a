/**
 * What people would use instead, on the same passages, in the same run:
 *
 * - Meilisearch with its default settings and no jieba of ours: the raw passage text indexed as
 *   is (Meilisearch segments Chinese itself). Only two settings are changed, so that its counts
 *   can be compared at all: the facet attributes are filterable, and maxTotalHits is raised
 *   from 1,000.
 * - SQLite FTS5 with the trigram tokenizer (better-sqlite3): MATCH for terms of three or more
 *   characters; the trigram index cannot serve shorter terms, so those fall back to LIKE on the
 *   FTS table (a scan), as the SQLite documentation says.
 * - A plain substring scan: SQLite `WHERE text LIKE '%term%'` on an ordinary table, what many
 *   sites do.
 *
 * Each peer gets the passages' original text (as a site would store it), and answers a search
 * with the first 20 hits and the total. Exactness is measured with test/eval/keyword.ts itself:
 * each peer is put behind a `Stack`-shaped adapter that answers `/api/search?q=&limit=&offset=`
 * from the peer's complete answer (ids, total, facet counts), so the same evaluateTerm code
 * scores every system against the same truth (every passage whose normalized text contains the
 * term).
 */
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createEngine, createTransport } from '../../src/engine/client.ts';
import type { Engine } from '../../src/engine/port.ts';
import type { PassageDoc } from '../../src/documents.ts';
import { INDEX } from '../../src/settings.ts';
import { startMeilisearch } from '../../src/engine/process.ts';
import { FACETS } from '../../src/filter.ts';
import { evaluateTerm, type TermResult, type TruthPassage } from '../eval/keyword.ts';
import type { Stack } from '../helpers/stack.ts';
import { percentile } from './load.ts';
import { diskBytes, mb, memoryOf } from './procs.ts';

export interface PeerPassage extends TruthPassage {
  text: string;
}

/** One system under test: a search (first `limit` hits and the total) and its complete answer. */
export interface Peer {
  name: string;
  note: string;
  indexSeconds: number;
  diskMb: number;
  memoryMb: number | null;
  search(term: string, limit: number): Promise<{ total: number; ids: string[] }>;
  all(term: string): Promise<{ total: number; ids: string[]; facets: Record<string, Record<string, number>> }>;
  close(): Promise<void>;
}

export interface PeerResult {
  name: string;
  note: string;
  indexSeconds: number;
  passagesPerSecond: number;
  diskMb: number;
  memoryMb: number | null;
  latency: { p50: number; p95: number; max: number; requests: number };
  exactness: TermResult[];
  mean: { precision: number; recall: number; countsEqual: number };
}

/** All passages with their text and facets, from the product's index. */
export async function fetchPassages(engine: Engine): Promise<PeerPassage[]> {
  const out: PeerPassage[] = [];
  for (let offset = 0; ; offset += 5000) {
    const page = await engine.index<PassageDoc>(INDEX.passages).fetchDocuments({
      limit: 5000, offset, fields: ['id', 'noticeId', 'text', 'normText', 'province', 'city', 'county', 'level', 'year', 'inspection'],
    });
    out.push(...page.results);
    if (page.results.length < 5000) return out;
  }
}

function facetCounts(rows: Iterable<PeerPassage>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = Object.fromEntries(FACETS.map((f) => [f, {}]));
  for (const p of rows) {
    for (const f of FACETS) {
      const v = p[f];
      if (v === null || v === undefined) continue;
      out[f]![String(v)] = (out[f]![String(v)] ?? 0) + 1;
    }
  }
  return out;
}

export async function meiliDefaultPeer(passages: PeerPassage[], dataDir: string, log: (m: string) => void): Promise<Peer> {
  rmSync(dataDir, { recursive: true, force: true });
  const meili = await startMeilisearch({ dataDir, log: () => {} });
  const engine = createEngine({ url: meili.url, key: meili.key, timeoutMs: 120_000 });
  const t0 = performance.now();
  const index = engine.index<Omit<PeerPassage, 'normText'>>('raw');
  await engine.wait(await index.create('id'));
  await engine.wait(await index.updateSettings({ filterableAttributes: [...FACETS], pagination: { maxTotalHits: 10_000_000 } }));
  const tasks: number[] = [];
  for (let i = 0; i < passages.length; i += 10_000) {
    const docs = passages.slice(i, i + 10_000).map(({ normText: _n, ...d }) => d);
    tasks.push((await index.addDocuments(docs)).taskUid);
  }
  for (const t of tasks) await engine.wait(t, 60 * 60_000);
  const indexSeconds = (performance.now() - t0) / 1000;
  log(`  Meilisearch defaults: indexed ${passages.length} passages in ${indexSeconds.toFixed(1)} s`);
  return {
    name: 'Meilisearch, default settings, raw text',
    note: 'its own Chinese segmentation, prefix and typo tolerance; filterable facets and maxTotalHits raised so counts can be compared',
    indexSeconds,
    diskMb: mb(diskBytes(path.join(dataDir, 'meili', 'data.ms'))),
    memoryMb: memoryOf(meili.pid())?.peakMb ?? null,
    async search(term, limit) {
      const r = await index.search({ q: term, page: 1, hitsPerPage: limit, attributesToRetrieve: ['id', 'text'] });
      return { total: r.totalHits ?? 0, ids: r.hits.map((h) => h.id) };
    },
    async all(term) {
      const first = await index.search({ q: term, page: 1, hitsPerPage: 0, facets: [...FACETS] });
      const total = first.totalHits ?? 0;
      const r = await index.search({ q: term, page: 1, hitsPerPage: Math.max(1, total), attributesToRetrieve: ['id'] });
      return { total, ids: r.hits.map((h) => h.id), facets: first.facetDistribution ?? {} };
    },
    async close() {
      engine.close();
      await meili.stop();
    },
  };
}

function sqlitePeer(kind: 'fts5' | 'like', passages: PeerPassage[], file: string, log: (m: string) => void): Peer {
  rmSync(file, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const t0 = performance.now();
  db.exec('CREATE TABLE p (n INTEGER PRIMARY KEY, id TEXT, text TEXT, province TEXT, city TEXT, county TEXT, level TEXT, year INTEGER, inspection TEXT)');
  if (kind === 'fts5') db.exec("CREATE VIRTUAL TABLE f USING fts5(text, content='p', content_rowid='n', tokenize='trigram')");
  const insert = db.prepare('INSERT INTO p (n, id, text, province, city, county, level, year, inspection) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    passages.forEach((p, i) => insert.run(i + 1, p.id, p.text, p.province, p.city, p.county, p.level, p.year, p.inspection));
  })();
  if (kind === 'fts5') db.exec("INSERT INTO f(f) VALUES ('rebuild')");
  const indexSeconds = (performance.now() - t0) / 1000;
  log(`  SQLite ${kind}: indexed ${passages.length} passages in ${indexSeconds.toFixed(1)} s`);

  const byN = (n: number) => passages[n - 1]!;
  // Trigram MATCH needs at least three characters; shorter terms scan with LIKE (on the FTS table, as SQLite documents).
  const useMatch = (term: string) => kind === 'fts5' && Array.from(term).length >= 3;
  const matchQuery = (term: string) => `"${term.replace(/"/g, '""')}"`;
  const likeQuery = (term: string) => `%${term.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
  const stmts = {
    matchTop: kind === 'fts5' ? db.prepare('SELECT rowid AS n FROM f WHERE f MATCH ? ORDER BY rank LIMIT ?') : undefined,
    matchCount: kind === 'fts5' ? db.prepare('SELECT count(*) AS c FROM f WHERE f MATCH ?') : undefined,
    matchAll: kind === 'fts5' ? db.prepare('SELECT rowid AS n FROM f WHERE f MATCH ?') : undefined,
    likeTop: db.prepare(kind === 'fts5' ? "SELECT rowid AS n FROM f WHERE text LIKE ? ESCAPE '\\' LIMIT ?" : "SELECT n FROM p WHERE text LIKE ? ESCAPE '\\' LIMIT ?"),
    likeCount: db.prepare(kind === 'fts5' ? "SELECT count(*) AS c FROM f WHERE text LIKE ? ESCAPE '\\'" : "SELECT count(*) AS c FROM p WHERE text LIKE ? ESCAPE '\\'"),
    likeAll: db.prepare(kind === 'fts5' ? "SELECT rowid AS n FROM f WHERE text LIKE ? ESCAPE '\\'" : "SELECT n FROM p WHERE text LIKE ? ESCAPE '\\'"),
    text: db.prepare('SELECT id, text FROM p WHERE n = ?'),
  };
  return {
    name: kind === 'fts5' ? 'SQLite FTS5, trigram tokenizer' : "Substring scan (SQLite LIKE '%term%')",
    note:
      kind === 'fts5'
        ? 'in process, no HTTP; MATCH "term" ranked by bm25 for terms of 3+ characters, LIKE (a scan) for shorter ones'
        : 'in process, no HTTP; the first 20 rows in table order, and count(*) of the same scan',
    indexSeconds,
    diskMb: mb(diskBytes(file) + diskBytes(file + '-wal')),
    memoryMb: null,
    async search(term, limit) {
      const rows = (useMatch(term) ? stmts.matchTop!.all(matchQuery(term), limit) : stmts.likeTop.all(likeQuery(term), limit)) as Array<{ n: number }>;
      const ids = rows.map((r) => (stmts.text.get(r.n) as { id: string }).id);
      const total = ((useMatch(term) ? stmts.matchCount!.get(matchQuery(term)) : stmts.likeCount.get(likeQuery(term))) as { c: number }).c;
      return { total, ids };
    },
    async all(term) {
      const rows = (useMatch(term) ? stmts.matchAll!.all(matchQuery(term)) : stmts.likeAll.all(likeQuery(term))) as Array<{ n: number }>;
      const hits = rows.map((r) => byN(r.n));
      return { total: hits.length, ids: hits.map((h) => h.id), facets: facetCounts(hits) };
    },
    async close() {
      db.close();
    },
  };
}

export const fts5Peer = (passages: PeerPassage[], file: string, log: (m: string) => void) => sqlitePeer('fts5', passages, file, log);
export const likePeer = (passages: PeerPassage[], file: string, log: (m: string) => void) => sqlitePeer('like', passages, file, log);

/**
 * A peer behind the HTTP shape evaluateTerm reads (`/api/search?q=&limit=&offset=` → total,
 * hits, facets), answered from the peer's complete answer, computed once per query.
 */
export function peerAsStack(peer: Peer): Stack {
  const answers = new Map<string, Awaited<ReturnType<Peer['all']>>>();
  return {
    async call(url: string) {
      const u = new URL(url, 'http://peer');
      const q = u.searchParams.get('q') ?? '';
      const offset = Number(u.searchParams.get('offset') ?? 0);
      const limit = Number(u.searchParams.get('limit') ?? 20);
      let a = answers.get(q);
      if (!a) {
        a = await peer.all(q);
        answers.set(q, a);
      }
      return { status: 200, body: { total: a.total, hits: a.ids.slice(offset, offset + limit).map((id) => ({ id })), facets: a.facets } as never, headers: new Headers() };
    },
  } as unknown as Stack;
}

/** The product at its HTTP API, in the shape evaluateTerm reads. */
export function apiAsStack(apiUrl: string): Stack {
  const client = createTransport({ url: apiUrl, timeoutMs: 120_000 });
  return {
    async call(url: string) {
      return { status: 200, body: await client.request<never>('GET', url), headers: new Headers() };
    },
  } as unknown as Stack;
}

/** Sequential searches (first 20 hits and the total), `rounds` times over the terms. */
export async function sequentialLatency(search: (term: string) => Promise<unknown>, terms: string[], rounds: number): Promise<PeerResult['latency']> {
  for (const t of terms) await search(t); // warm
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const t of terms) {
      const t0 = performance.now();
      await search(t);
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return { p50: r2(percentile(times, 50)), p95: r2(percentile(times, 95)), max: r2(times[times.length - 1] ?? 0), requests: times.length };
}

/** Exactness of one system on the public terms, against the truth of every passage's normalized text. */
export async function exactness(stack: Stack, passages: TruthPassage[], terms: string[], synonyms: Record<string, string[]>): Promise<TermResult[]> {
  const out: TermResult[] = [];
  for (const term of terms) out.push(await evaluateTerm(stack, passages, term, [[term, ...(synonyms[term] ?? [])]]));
  return out;
}

export function meanOf(results: TermResult[]): PeerResult['mean'] {
  const m = (f: (r: TermResult) => number) => Math.round((results.reduce((a, r) => a + f(r), 0) / Math.max(1, results.length)) * 1000) / 1000;
  return { precision: m((r) => r.precision), recall: m((r) => r.recall), countsEqual: results.filter((r) => r.countsEqual).length };
}
