/**
 * How fast does the embedder run here? Embeds 100 real sentences of ~100 characters from
 * data/corpus at batch sizes 1, 8, 16 and 32 on all cores (and batch 1 on one thread, to see
 * what the second core buys), and prints sentences per second; then the same for 100
 * paragraphs of 200–500 characters, closer to what the indexer embeds.
 *
 *   npx tsx test/bench/embed-speed.ts
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureModel } from '../../indexer/model.ts';
import { createEmbedder } from '../../src/embed.ts';

const CORPUS = join(import.meta.dirname, '../../data/corpus');
const COUNT = 100;
const ROUNDS = 5;

async function pick(split: (text: string) => string[], min: number, max: number): Promise<string[]> {
  const all: string[] = [];
  for (const file of (await readdir(CORPUS)).sort()) {
    const text = await readFile(join(CORPUS, file), 'utf8');
    for (const s of split(text)) if (s.length >= min && s.length <= max) all.push(s);
  }
  if (all.length < COUNT) throw new Error(`only ${all.length} pieces of ${min}–${max} characters in ${CORPUS}`);
  // Spread the picks over the whole corpus rather than taking the first file's.
  return Array.from({ length: COUNT }, (_, i) => all[Math.floor((i * all.length) / COUNT)]!);
}

const sentences = await pick((t) => t.replace(/\s+/g, '').split(/(?<=[。！？；])/), 80, 120);
const paragraphs = await pick((t) => t.split(/\n+/).map((p) => p.trim()), 200, 500);
const model = await ensureModel({ log: console.error });

for (const [what, texts] of [['sentences', sentences], ['paragraphs', paragraphs]] as const) {
  const avg = texts.reduce((n, s) => n + s.length, 0) / texts.length;
  console.log(`${texts.length} ${what}, ${avg.toFixed(0)} characters on average; best of ${ROUNDS} rounds`);
  const runs = [
    ...[1, 8, 16, 32].map((batchSize) => ({ batchSize, threads: undefined })),
    { batchSize: 1, threads: 1 },
  ];
  for (const { batchSize, threads } of runs) {
    const embedder = await createEmbedder({ modelDir: model.modelDir, batchSize, threads });
    await embedder.embed(texts.slice(0, batchSize)); // warm-up
    let best = Infinity;
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = performance.now();
      await embedder.embed(texts);
      best = Math.min(best, performance.now() - t0);
    }
    await embedder.dispose();
    const label = `  threads=${threads ?? 'all'} batch=${String(batchSize).padEnd(2)}`;
    console.log(`${label}  ${(best / 1000).toFixed(3)} s  ${((COUNT / best) * 1000).toFixed(0)} ${what}/s`);
  }
}
