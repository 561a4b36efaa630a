/**
 * Vectors for the bench corpus without embedding 200,000 passages on two cores.
 *
 * The real passages the corpus is made from are embedded once with the real model (kept in
 * bench-out/cache between runs). Each generated passage then gets the real vector of the passage
 * it came from plus small Gaussian noise, renormalized — LABELLED in the report as "reused real
 * vectors + noise", not real embeddings of the generated text.
 *
 * They reach the index through the product's own path: they are written into the embed cache
 * (DATA_DIR/embed-cache.bin) under the exact embedding input the index run will compute
 * (src/embed-input.ts), so the run with EMBEDDINGS=on finds every passage in the cache and
 * embeds nothing. Everything else (parse, keywords, documents, vectors to the engine, the
 * engine's vector index) is the real indexing work.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createEmbedder } from '../../src/embed.ts';
import { embedInputs } from '../../src/embed-input.ts';
import { parsePage } from '../../src/parse.ts';
import { embedCacheKey, openEmbedCache } from '../../indexer/embed-cache.ts';
import { ensureModel } from '../../indexer/model.ts';
import { listFiles } from '../../indexer/files.ts';
import type { Corpus } from './corpus.ts';
import { rng } from './corpus.ts';

/** Noise added per dimension before renormalizing: cosine to the source ≈ 1 / sqrt(1 + 512·σ²) ≈ 0.96. */
export const NOISE_SIGMA = 0.013;

/** Real vectors of the real passages, embedded here (cached in `cacheFile` by text). */
export async function sourceVectors(corpus: Corpus, modelDir: string, cacheFile: string, log: (m: string) => void): Promise<{ vectors: Float32Array[]; seconds: number; embedded: number }> {
  const cache = await openEmbedCache(cacheFile);
  const texts = corpus.sources.map((s) => s.input);
  const missing = texts.filter((t) => !cache.has(embedCacheKey(t)));
  let seconds = 0;
  if (missing.length) {
    log(`embedding the ${missing.length} real passages once with the real model (cached in ${cacheFile})`);
    const model = await ensureModel({ modelDir, log });
    const embedder = await createEmbedder({ modelDir: model.modelDir });
    const t0 = performance.now();
    const vs = await embedder.embed(missing);
    seconds = (performance.now() - t0) / 1000;
    missing.forEach((t, i) => cache.set(embedCacheKey(t), vs[i]!));
    await cache.flush();
    await embedder.dispose();
  }
  return { vectors: texts.map((t) => cache.get(embedCacheKey(t))!), seconds, embedded: missing.length };
}

/** `v` plus Gaussian noise of NOISE_SIGMA per dimension, renormalized. */
export function noisy(v: Float32Array, gauss: () => number): Float32Array {
  const out = new Float32Array(v.length);
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    out[i] = v[i]! + NOISE_SIGMA * gauss();
    norm += out[i]! * out[i]!;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) out[i] = out[i]! / norm;
  return out;
}

/** Text similarity for matching a parsed passage back to the generated one it came from. */
function overlap(a: string, b: string): number {
  if (a === b) return 1;
  if (b.includes(a) || a.includes(b)) return Math.min(a.length, b.length) / Math.max(a.length, b.length) + 0.5;
  const grams = new Set<string>();
  for (let i = 0; i + 1 < a.length; i++) grams.add(a.slice(i, i + 2));
  let hit = 0;
  for (let i = 0; i + 1 < b.length; i++) if (grams.has(b.slice(i, i + 2))) hit++;
  return hit / Math.max(1, b.length - 1);
}

/**
 * Writes into `cacheFile` (DATA_DIR/embed-cache.bin) a vector for every passage of the corpus
 * files, keyed by the embedding input the index run will compute. Also the real corpus pages in
 * `realFiles` (files or folders) get their own real vectors. Returns how many vectors were written.
 */
export async function fillEmbedCache(corpus: Corpus, realFiles: string[], source: Float32Array[], cacheFile: string, seed: number): Promise<number> {
  const cache = await openEmbedCache(cacheFile);
  const r = rng(seed ^ 0x5eed);
  // Box–Muller.
  const gauss = () => Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
  let written = 0;
  let unflushed = 0;
  // The real pages are indexed too (the API indexes data/corpus at start): their real vectors.
  const byInput = new Map(corpus.sources.map((s, i) => [s.input, i]));
  for (const file of (await listFiles(realFiles)).files) {
    const parsed = parsePage(file, readFileSync(file));
    if (!parsed.ok) continue;
    for (const n of parsed.notices) {
      for (const input of embedInputs(n.passages.map((p) => ({ ...p, noticeId: n.id })))) {
        const s = byInput.get(input);
        if (s === undefined) continue;
        cache.set(embedCacheKey(input), source[s]!);
        written++;
      }
    }
  }
  for (const g of corpus.notices) {
    const parsed = parsePage(g.file, readFileSync(g.file));
    if (!parsed.ok) continue;
    for (const n of parsed.notices) {
      const inputs = embedInputs(n.passages.map((p) => ({ ...p, noticeId: n.id })));
      n.passages.forEach((p, i) => {
        // The generated passage this parsed one came from (the parser may cut a few differently).
        let best = g.passages[Math.min(i, g.passages.length - 1)]!;
        let score = best ? overlap(p.text, best.text) : 0;
        if (score < 1) {
          for (const cand of g.passages) {
            const s = overlap(p.text, cand.text);
            if (s > score) [best, score] = [cand, s];
          }
        }
        cache.set(embedCacheKey(inputs[i]!), noisy(source[best.source]!, gauss));
        written++;
        unflushed++;
      });
    }
    if (unflushed >= 20_000) {
      await cache.flush();
      unflushed = 0;
    }
  }
  await cache.flush();
  return written;
}

export const embedCachePath = (dataDir: string) => path.join(dataDir, 'embed-cache.bin');
