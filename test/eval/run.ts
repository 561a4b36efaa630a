/**
 * npm run eval [-- --keyword-file F] [--similar-file F] [--no-dev] [--explore] [--per-query]
 *                 [--parse-file F] [--parse-only] [--misses] [--pinyin-only]:
 * quality figures measured on the bundled corpus through the HTTP API, against a fresh engine
 * with the real embedding model. Prints a table per section and the means. The parse section
 * uploads the parse dev set into an engine of its own (`--misses` lists every wrong field);
 * `--pinyin-only` stops after the keyword and pinyin sections.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startStack, ROOT, WITH_EMBEDDINGS } from '../helpers/stack.ts';
import { allPassages, evaluateTerm, type TermResult } from './keyword.ts';
import { evaluatePinyin, pinyinTable } from './pinyin.ts';
import { evaluateSimilar, perQueryTable, similarTable, unmappedAnchors } from './similar.ts';
import type { SimilarSpec } from './similar-judge.ts';
import { evaluateParse, loadDevSet, parseMeetsTargets, parseMisses, parseTable } from './parse.ts';

interface KeywordEval {
  terms: string[];
  synonyms?: Record<string, string[]>;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function table(results: TermResult[]): string {
  const rows = results.map((r) =>
    `| ${r.term} | ${r.truth} | ${r.returned} | ${r.total} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} | ${r.countsEqual ? 'yes' : 'NO: ' + r.facetMismatches.slice(0, 3).join('; ')} |`,
  );
  const mean = (f: (r: TermResult) => number) => (results.reduce((a, r) => a + f(r), 0) / results.length).toFixed(3);
  return [
    '| term | truth | returned | total | precision | recall | counts equal |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...rows,
    `| **mean** (${results.length} queries) | | | | **${mean((r) => r.precision)}** | **${mean((r) => r.recall)}** | **${results.filter((r) => r.countsEqual).length}/${results.length}** |`,
  ].join('\n');
}

async function parseSection(): Promise<void> {
  const file = arg('--parse-file', path.join(ROOT, 'test/data/parse.dev.json'));
  const dir = path.join(path.dirname(file), path.basename(file, '.json'));
  const entries = loadDevSet(file);
  console.error(`starting an empty engine and uploading ${entries.length} files of ${path.relative(ROOT, dir)} …`);
  const adminKey = 'parse-eval';
  // Keyword search alone: the parse figures do not depend on vectors.
  const stack = await startStack({ corpus: [], adminKey, env: { EMBEDDINGS: 'off' } });
  try {
    const report = await evaluateParse(stack, adminKey, dir, entries);
    console.log(`\n## Parse (${path.relative(ROOT, file)})\n`);
    console.log(parseTable(report));
    if (process.argv.includes('--misses')) console.log('\n' + (parseMisses(report) || 'no misses'));
    if (!parseMeetsTargets(report)) process.exitCode = 1;
  } finally {
    await stack.close();
  }
}

async function main(): Promise<void> {
  if (!process.argv.includes('--parse-only')) await keywordAndSimilar();
  if (!process.argv.includes('--pinyin-only')) await parseSection();
}

async function keywordAndSimilar(): Promise<void> {
  const file = arg('--keyword-file', path.join(ROOT, 'test/data/keyword.public.json'));
  const spec = JSON.parse(readFileSync(file, 'utf8')) as KeywordEval;
  console.error('starting engine and indexing data/corpus (with the embedding model) …');
  // With vectors on, as the product runs: keyword exactness must not depend on them.
  const stack = await startStack({ env: WITH_EMBEDDINGS });
  try {
    const passages = await allPassages(stack);
    console.log(`\n## Keyword exactness (${path.relative(ROOT, file)}; ${passages.length} passages)\n`);
    const results: TermResult[] = [];
    for (const term of spec.terms) {
      results.push(await evaluateTerm(stack, passages, term, [[term, ...(spec.synonyms?.[term] ?? [])]]));
    }
    console.log(table(results));
    const failed = results.filter((r) => r.precision < 1 || r.recall < 1 || !r.countsEqual);
    if (failed.length) process.exitCode = 1;

    console.log(`\n## Pinyin suggestions (${path.relative(ROOT, file)}; rank of the term in /api/suggest, – = not in the first 10)\n`);
    console.log(pinyinTable(await evaluatePinyin(stack, spec.terms)));
    if (process.argv.includes('--pinyin-only')) return;

    const similarFiles = [arg('--similar-file', path.join(ROOT, 'test/data/similar.public.json'))];
    const dev = path.join(ROOT, 'test/data/similar.dev.json');
    if (!process.argv.includes('--no-dev') && existsSync(dev) && !similarFiles.includes(dev)) similarFiles.push(dev);
    for (const f of similarFiles) {
      const similarSpec = JSON.parse(readFileSync(f, 'utf8')) as SimilarSpec;
      console.log(`\n## Similar measures (${path.relative(ROOT, f)})\n`);
      const lost = await unmappedAnchors(stack, similarSpec);
      if (lost.length) console.log(`${lost.length} relevant anchors are in no passage (counted as missed): ${lost.join('; ')}\n`);
      const scores = await evaluateSimilar(stack, similarSpec, { explore: process.argv.includes('--explore') });
      console.log(similarTable(scores));
      if (process.argv.includes('--per-query')) console.log('\nnDCG@10 / grade-2 recall@10 per query:\n\n' + perQueryTable(scores));
    }
  } finally {
    await stack.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
