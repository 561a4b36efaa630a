/**
 * Meilisearch's two vector stores on the bench's vectors: the default (arroy) and the
 * experimental HNSW store (hannoy, `vectorStore: "experimental"`, Meilisearch ≥ 1.21 behind the
 * `vectorStoreSetting` feature). Similar measures and hybrid search spend most of their engine time
 * in one vector search of 100 candidates (docs/benchmarks.md); this measures whether the other
 * store makes it cheaper without losing what ranking needs: the true nearest passages (recall
 * against an exact scan done here), exact cosines (`_rankingScore` = (1 + cos) / 2), and the same
 * under a filter.
 *
 * The vectors are the bench's: the real passages of data/corpus embedded with the real model,
 * each repeated with small Gaussian noise up to `--passages` (test/bench/vectors.ts).
 *
 *   npx tsx test/bench/vector-store.ts [--passages 50000] [--queries 30] [--out DIR]
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createEmbedder } from '../../src/embed.ts';
import { createTransport, engineOver } from '../../src/engine/client.ts';
import type { TaskRef } from '../../src/engine/port.ts';
import { startMeilisearch } from '../../src/engine/process.ts';
import { MODEL_DIR } from '../helpers/stack.ts';
import { ensureModel } from '../../indexer/model.ts';
import { generateCorpus, rng } from './corpus.ts';
import { noisy } from './vectors.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const N = Number(arg('--passages', '50000'));
const QUERIES = Number(arg('--queries', '30'));
const OUT = path.resolve(arg('--out', 'bench-out/vector-store'));
/** Documents carry a number 0–30 to filter on: a filter keeps about 1 in 31. */
const BUCKETS = 31;
const log = (m: string) => console.error(`[vector-store ${new Date().toISOString().slice(11, 19)}] ${m}`);

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

interface Row {
  store: string;
  query: string;
  p50: number;
  mean: number;
  recall: number;
  maxScoreError: number;
}

async function main(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  // Only its sources are used: every passage of the real pages, whatever the size asked for.
  const corpus = await generateCorpus({ passages: 1000, dir: path.join(OUT, 'corpus') });
  const model = await ensureModel({ modelDir: MODEL_DIR, log });
  const embedder = await createEmbedder({ modelDir: model.modelDir });
  log(`embedding ${corpus.sources.length} real passages`);
  const sources = await embedder.embed(corpus.sources.map((s) => s.input));
  await embedder.dispose();
  const r = rng(7);
  const gauss = () => Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
  const vectors = Array.from({ length: N }, (_, i) => noisy(sources[i % sources.length]!, gauss));
  const queries = Array.from({ length: QUERIES }, (_, i) => noisy(sources[(i * 97) % sources.length]!, gauss));

  const engine = await startMeilisearch({ dataDir: path.join(OUT, 'meili'), log });
  const t = createTransport({ url: engine.url, key: engine.key, timeoutMs: 600_000 });
  const port = engineOver(t);
  const waitTask = (task: TaskRef) => port.wait(task, 3_600_000);
  const rows: Row[] = [];
  try {
    await t.request('PATCH', '/experimental-features', { vectorStoreSetting: true });
    for (const [uid, store] of [['arroy', undefined], ['hannoy', 'experimental']] as const) {
      await waitTask(await t.request<TaskRef>('PATCH', `/indexes/${uid}/settings`, {
        ...(store ? { vectorStore: store } : {}),
        filterableAttributes: ['bucket'],
        embedders: { e: { source: 'userProvided', dimensions: sources[0]!.length } },
      }));
      const t0 = performance.now();
      for (let i = 0; i < N; i += 5000) {
        const docs = vectors.slice(i, i + 5000).map((v, k) => ({ id: String(i + k), bucket: (i + k) % BUCKETS, _vectors: { e: Array.from(v) } }));
        await waitTask(await t.request<TaskRef>('POST', `/indexes/${uid}/documents`, docs));
      }
      log(`${uid}: ${N} vectors indexed in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

      const measure = async (label: string, limit: number, bucket?: number) => {
        const times: number[] = [];
        let recall = 0;
        let maxScoreError = 0;
        for (const q of queries) {
          const started = performance.now();
          const res = await t.request<{ hits: Array<{ id: string; _rankingScore: number }> }>('POST', `/indexes/${uid}/search`, {
            vector: Array.from(q), hybrid: { embedder: 'e', semanticRatio: 1 }, limit, showRankingScore: true, attributesToRetrieve: ['id'],
            ...(bucket === undefined ? {} : { filter: `bucket = ${bucket}` }),
          });
          times.push(performance.now() - started);
          const exact = vectors
            .map((v, i) => ({ i, cos: dot(v, q) }))
            .filter((x) => bucket === undefined || x.i % BUCKETS === bucket)
            .sort((a, b) => b.cos - a.cos)
            .slice(0, limit);
          const got = new Set(res.hits.map((h) => h.id));
          recall += exact.filter((x) => got.has(String(x.i))).length / exact.length;
          for (const h of res.hits) maxScoreError = Math.max(maxScoreError, Math.abs(2 * h._rankingScore - 1 - dot(vectors[Number(h.id)]!, q)));
        }
        times.sort((a, b) => a - b);
        rows.push({ store: uid, query: label, p50: times[times.length >> 1]!, mean: times.reduce((a, b) => a + b, 0) / times.length, recall: recall / queries.length, maxScoreError });
      };
      await measure('warm-up', 100);
      rows.pop();
      await measure('nearest 100', 100);
      await measure('nearest 50', 50);
      await measure('nearest 100, filter (1 in 31)', 100, 3);
    }
  } finally {
    t.close();
    await engine.stop();
  }
  console.log(`\n${N} vectors of ${sources[0]!.length} dimensions, ${QUERIES} queries, one at a time; recall against an exact scan\n`);
  console.log('| store | query | p50 ms | mean ms | recall | max cosine error |');
  console.log('|---|---|---:|---:|---:|---:|');
  for (const x of rows) console.log(`| ${x.store} | ${x.query} | ${x.p50.toFixed(1)} | ${x.mean.toFixed(1)} | ${x.recall.toFixed(3)} | ${x.maxScoreError.toExponential(1)} |`);
}

await main();
