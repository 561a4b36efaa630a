/**
 * Several Meilisearch nodes on loopback for the network test and `npm run bench -- --nodes N`,
 * and the comparison of a network stack's answers with a single node's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMeilisearch, type Supervised } from '../../src/engine/process.ts';
import { FACETS } from '../../src/filter.ts';
import type { Stack } from './stack.ts';

export interface Nodes {
  /** MEILI_NETWORK for these nodes (the JSON form: each node has its own key). */
  spec: string;
  names: string[];
  urls: string[];
  /** Stops node i (no restart). */
  stop(i: number): Promise<void>;
  /** Starts node i again on its port and data. */
  restart(i: number): Promise<void>;
  close(): Promise<void>;
}

export async function startNodes(count: number, prefix = 'node'): Promise<Nodes> {
  const root = mkdtempSync(path.join(tmpdir(), 'notice-nodes-'));
  const names = Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  const dirs = names.map((n) => path.join(root, n));
  const procs: Array<Supervised | undefined> = await Promise.all(dirs.map((dataDir) => startMeilisearch({ dataDir, log: () => {} })));
  const urls = procs.map((p) => p!.url);
  const ports = urls.map((u) => Number(new URL(u).port));
  const spec = JSON.stringify(names.map((name, i) => ({ name, url: urls[i], key: procs[i]!.key })));
  return {
    spec,
    names,
    urls,
    async stop(i) {
      await procs[i]?.stop();
      procs[i] = undefined;
    },
    async restart(i) {
      procs[i] = await startMeilisearch({ dataDir: dirs[i]!, port: ports[i], log: () => {} });
    },
    async close() {
      await Promise.all(procs.map((p) => p?.stop()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** One comparison: the same API URL asked of one node and of the network. */
export interface Comparison {
  url: string;
  status: [number, number];
  total: [number, number];
  /** Hit ids equal, in the same order. */
  sameHits: boolean;
  /** Same hit ids, perhaps ordered differently. */
  sameHitSet: boolean;
  /**
   * Hit by hit, the same ranking score, publish date and position: where ids differ, they differ
   * only among equally ranked hits (one node breaks such ties by insertion order, the network
   * by node).
   */
  sameRanking: boolean;
  facetMismatches: string[];
  /** Same status 200, total, facet counts and ranking. */
  equal: boolean;
}

interface SearchBody {
  total: number;
  hits: Array<{ id: string; score: number; position: number; notice: { publishDate: string | null } }>;
  facets: Record<string, Record<string, number>>;
}

/** `base` is the single node, `other` the network. Facets are compared as counts, not key order. */
export async function compareSearch(base: Stack, other: Stack, url: string): Promise<Comparison> {
  const [a, b] = await Promise.all([base.call<SearchBody>(url), other.call<SearchBody>(url)]);
  const idsA = a.status === 200 ? a.body.hits.map((h) => h.id) : [];
  const idsB = b.status === 200 ? b.body.hits.map((h) => h.id) : [];
  const facetMismatches: string[] = [];
  if (a.status === 200 && b.status === 200) {
    for (const f of FACETS) {
      const x = a.body.facets[f] ?? {};
      const y = b.body.facets[f] ?? {};
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) if (x[k] !== y[k]) facetMismatches.push(`${f}.${k}: ${y[k] ?? 0} ≠ ${x[k] ?? 0}`);
    }
  }
  const rank = (r: { status: number; body: SearchBody }) => (r.status === 200 ? r.body.hits.map((h) => `${h.score.toFixed(9)}|${h.notice.publishDate}|${h.position}`) : []);
  const [rankA, rankB] = [rank(a), rank(b)];
  const sameRanking = rankA.length === rankB.length && rankA.every((k, i) => k === rankB[i]);
  const sameHits = idsA.length === idsB.length && idsA.every((id, i) => id === idsB[i]);
  const setB = new Set(idsB);
  const sameHitSet = idsA.length === idsB.length && idsA.every((id) => setB.has(id));
  const total: [number, number] = [a.status === 200 ? a.body.total : -1, b.status === 200 ? b.body.total : -1];
  return {
    url,
    status: [a.status, b.status],
    total,
    sameHits,
    sameHitSet,
    sameRanking,
    facetMismatches,
    equal: a.status === 200 && b.status === 200 && total[0] === total[1] && sameRanking && facetMismatches.length === 0,
  };
}

/**
 * Search URLs that exercise what the network must keep equal: totals and facets of public and
 * other terms, filters, date sort, group=notice, and pages (aligned and not).
 */
export function comparisonUrls(terms: string[], province?: string): string[] {
  const urls: string[] = [];
  const q = (t: string) => `/api/search?q=${encodeURIComponent(t)}`;
  for (const t of terms) urls.push(`${q(t)}&limit=100`);
  for (const t of terms.slice(0, 6)) {
    urls.push(`${q(t)}&group=notice&limit=100`);
    urls.push(`${q(t)}&sort=date&limit=20`);
    urls.push(`${q(t)}&limit=7&offset=3`);
  }
  urls.push(`${q('整改')}&limit=10&offset=20`, `${q('整改')}&limit=100&offset=100`, `${q('整改')}&group=notice&limit=1`, `${q('健康')}&group=notice&limit=2&offset=2`, `/api/search?q=&group=notice&limit=1`, `${q('整改')}&facets=none&limit=3`);
  urls.push(`/api/search?q=&limit=20`, `/api/search?q=&group=notice&limit=100`, `${q('"巡察 整改"')}`, `${q('蓬')}&limit=100`, `${q('量子纠缠')}`);
  if (province) {
    urls.push(`${q('整改')}&province=${encodeURIComponent(province)}&limit=100`, `${q('医共体')}&province=${encodeURIComponent(province)}&group=notice&limit=100`);
  }
  urls.push(`${q('整改')}&year=2024&limit=100`, `${q('整改')}&from=2024-01-01&to=2024-12-31&limit=100`);
  return urls;
}

/** Every page of a search, ids in order (for comparing whole results). */
export async function allHitIds(stack: Stack, query: string): Promise<{ total: number; ids: string[] }> {
  const ids: string[] = [];
  let total = 0;
  for (let offset = 0; ; offset += 100) {
    const { status, body } = await stack.call<SearchBody>(`/api/search?q=${encodeURIComponent(query)}&limit=100&offset=${offset}&facets=none`);
    if (status !== 200) throw new Error(`search ${query}: ${status} ${JSON.stringify(body)}`);
    total = body.total;
    ids.push(...body.hits.map((h) => h.id));
    if (body.hits.length < 100) return { total, ids };
  }
}
